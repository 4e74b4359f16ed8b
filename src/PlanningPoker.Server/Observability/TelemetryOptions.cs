using System.ComponentModel.DataAnnotations;
using System.Net;

namespace PlanningPoker.Server.Observability;

/// <summary>
/// What the node exports besides OTLP (which the standard <c>OTEL_*</c> variables govern). Bound from the
/// <c>Telemetry</c> section, validated at start; read by <see cref="Telemetry"/>; documented in docs/operations.md,
/// "Observability".
/// </summary>
public sealed class TelemetryOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Telemetry";

    /// <summary>
    /// Serves the metrics for Prometheus to scrape at <c>/metrics</c>. An operator's path: only from loopback and
    /// <see cref="PrometheusNetworks"/>, and never through a proxy.
    /// </summary>
    /// <value>Off.</value>
    public bool Prometheus { get; set; }

    /// <summary>
    /// Networks, in CIDR notation (<c>10.0.0.0/8</c>), whose hosts may scrape <c>/metrics</c> besides loopback, e.g. the
    /// Prometheus server's. The address checked is the client's as <see cref="Security.ClientAddress"/> resolves it.
    /// </summary>
    /// <value>None: loopback only.</value>
    public IList<string> PrometheusNetworks { get; } = [];

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var network in PrometheusNetworks)
        {
            if (!IPNetwork.TryParse(network, out _))
            {
                yield return new ValidationResult(
                    $"Telemetry:PrometheusNetworks holds '{network}', which is not a network such as 10.0.0.0/8.", [nameof(PrometheusNetworks)]);
            }
        }
    }
}
