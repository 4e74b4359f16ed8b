using PlanningPoker.Server.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(PokerApp))]
