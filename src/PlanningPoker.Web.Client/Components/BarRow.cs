namespace PlanningPoker.Web.Client.Components;

/// <summary>One bar of a <see cref="BarChart"/>.</summary>
/// <param name="Label">What the bar is (a card, a team), shown on its left.</param>
/// <param name="Value">Its length, against the chart's maximum; null draws no bar (the text says why: "—").</param>
/// <param name="Text">Its value as people read it ("12", "75 %"), shown at its end and in the table.</param>
public sealed record BarRow(string Label, double? Value, string Text);
