namespace PlanningPoker.Web.Client.Services;

/// <summary>Reads a room code from what people paste: the code itself, or a whole link to the room.</summary>
public static class RoomCode
{
    /// <summary>The code in <paramref name="input"/>, or null when there is none.</summary>
    public static string? FromInput(string? input)
    {
        var text = input?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var marker = text.IndexOf("/rooms/", StringComparison.OrdinalIgnoreCase);
        if (marker >= 0)
        {
            text = text[(marker + "/rooms/".Length)..].Split('/', '?', '#')[0];
        }

        text = text.Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        return text.Length is > 0 and <= 64 && text.All(char.IsAsciiLetterOrDigit) ? text.ToLowerInvariant() : null;
    }
}
