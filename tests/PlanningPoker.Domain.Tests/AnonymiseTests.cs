namespace PlanningPoker.Domain.Tests;

/// <summary>
/// A deleted account's seats: vacated if taken, renamed everywhere in the room's history, their votes kept; two deleted
/// people never read as one; nothing else moves.
/// </summary>
public sealed class AnonymiseTests
{
    private const string Former = "Former member";

    [Fact]
    public void Anonymise_OfASeatedVoterDuringARound_VacatesTheSeat_WithdrawsTheHiddenCard_AndRenamesThem()
    {
        var w = new Workshop();
        var alice = w.Seat("Alice");
        var bob = w.Seat("Bob");
        w.Ok(new StartRound(w.Facilitator, null));
        w.Ok(new CastVote(alice, "3"));
        w.Ok(new CastVote(bob, "5"));

        var events = w.Ok(new Anonymise(alice, Former));

        Assert.Equal(
            [typeof(VoteWithdrawn), typeof(ParticipantLeft), typeof(ParticipantAnonymised)],
            events.Select(e => e.GetType()));
        Assert.Null(w.Room.FindParticipant(alice));
        Assert.Equal(Former, w.Room.FormerParticipants.Single(f => f.Id == alice).Name);
        Assert.DoesNotContain(w.Room.FormerParticipants, f => f.Name == "Alice");
        Assert.Equal(bob, Assert.Single(w.Room.CurrentRound!.Votes).ParticipantId);
    }

    [Fact]
    public void Anonymise_OfSomeoneWhoLeftAfterAReveal_KeepsTheirVotesUnderTheNewName()
    {
        var w = new Workshop();
        var alice = w.Seat("Alice");
        var bob = w.Seat("Bob");
        var story = w.AddStories("Login page")[0];
        w.Ok(new StartRound(w.Facilitator, story));
        w.Ok(new CastVote(alice, "8"));
        w.Ok(new CastVote(bob, "5"));
        w.Ok(new Reveal(w.Facilitator));
        w.Ok(new Accept(w.Facilitator, "5"));
        w.Ok(new Leave(alice));

        w.Ok(new Anonymise(alice, Former));

        var votes = w.Room.HistoryOf(story).GetValueOrThrow().Rounds.Single().Votes;
        Assert.Equal([("Bob", "5"), (Former, "8")], votes.Select(v => (v.Name, v.Card.Label)).OrderBy(v => v.Label, StringComparer.Ordinal));
        Assert.Equal("5", w.Room.FindStory(story)!.FinalEstimate!.Label);
    }

    [Fact]
    public void Anonymise_OfTwoPeople_NumbersTheSecond_AndPassesOverNamesInUse()
    {
        var w = new Workshop();
        var alice = w.Seat("Alice");
        var bob = w.Seat("Bob");
        w.Seat("Former member 2"); // someone really goes by that name

        w.Ok(new Anonymise(alice, Former));
        w.Ok(new Anonymise(bob, Former));

        Assert.Equal([Former, "Former member 3"], w.Room.FormerParticipants.Select(f => f.Name));
    }

    [Fact]
    public void Anonymise_Again_KeepsTheName_AndOfNobody_ChangesNothing()
    {
        var w = new Workshop();
        var alice = w.Seat("Alice");
        w.Ok(new Anonymise(alice, Former));

        w.Ok(new Anonymise(alice, Former));

        Assert.Equal(Former, w.Room.FormerParticipants.Single().Name);
        w.Fails(new Anonymise(99, Former), RoomErrorCode.ParticipantNotFound);
        w.Fails(new Anonymise(w.Facilitator, "   "), RoomErrorCode.InvalidName);
    }

    [Fact]
    public void Anonymise_SurvivesASnapshot()
    {
        var w = new Workshop();
        var alice = w.Seat("Alice");
        w.Ok(new Anonymise(alice, Former));

        var copy = Room.FromSnapshot(w.Room.ToSnapshot());

        Assert.Equal(Workshop.Snapshot(w.Room), Workshop.Snapshot(copy));
        Assert.Equal(Former, copy.FormerParticipants.Single().Name);
    }
}
