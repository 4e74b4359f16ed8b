namespace PlanningPoker.Web.Client;

/// <summary>Marker for the UI's strings: <c>Resources/Strings.resx</c> (English) and <c>Strings.fr.resx</c> (French).</summary>
public sealed class Strings
{
}
