using System.CommandLine;
using PlanningPoker.Bench;

// Ctrl+C ends the measured window early; give the run time to close its connections and print its report.
return await Cli.Build().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(90) });
