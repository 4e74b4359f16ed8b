using System.Text;
using CsCheck;

namespace PlanningPoker.Domain.Tests;

/// <summary>
/// Names that look alike: two seats never share a name that passes for the other (UTS #39 skeletons, case ignored),
/// and a name never hides invisible characters.
/// </summary>
public sealed class NameTests
{
    private static readonly long Iterations = long.TryParse(Environment.GetEnvironmentVariable("CsCheck_Iter"), out var n) ? n : 400;

    /// <summary>
    /// The oracle: what ICU's confusables data says of the letters the property test uses, written by hand (checked
    /// with PyICU's <c>SpoofChecker.getSkeleton</c>); every other letter of <see cref="Pieces"/> is its own prototype.
    /// </summary>
    private static readonly Dictionary<char, string> KnownConfusables = new()
    {
        ['\u0410'] = "A", // Cyrillic А
        ['\u0430'] = "a", // Cyrillic а
        ['\u0415'] = "E", // Cyrillic Е
        ['\u0435'] = "e", // Cyrillic е
        ['\u0406'] = "l", // Cyrillic І
        ['\u0456'] = "i", // Cyrillic і
        ['I'] = "l",
        ['1'] = "l",
        ['0'] = "O",
        ['m'] = "rn",
    };

    private static readonly string[] Pieces =
        ["A", "a", "\u0410", "\u0430", "n", "r", "m", "M", "l", "I", "1", "i", "\u0406", "\u0456", "O", "0", "o", "e", "E", "é", "e\u0301", "\u0435", "\u0415", "\u200D"];

    [Theory]
    [InlineData("\u0410na")] // Cyrillic capital А
    [InlineData("An\u0430")] // Cyrillic small а
    [InlineData("ana")]
    [InlineData("ANA")]
    [InlineData("\u0410N\u0410")]
    public void Join_WithANameThatLooksLikeASeatedOne_ReturnsNameTaken(string name)
    {
        var w = new Workshop();
        w.Seat("Ana");

        var error = w.Fails(new Join(name, Role.Estimator), RoomErrorCode.NameTaken);

        Assert.Contains("looks the same", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Alex", "AIex")] // capital I for l
    [InlineData("Alex", "A1ex")]
    [InlineData("Tom", "T0m")]
    [InlineData("Ivan", "ivan")]
    [InlineData("ГЕНА", "гена")]
    [InlineData("Kim", "Kirn")]
    public void Rename_ToANameThatLooksLikeAnothers_ReturnsNameTaken(string seated, string name)
    {
        var w = new Workshop();
        w.Seat(seated);
        var bob = w.Seat("Bob");

        w.Fails(new Rename(bob, name), RoomErrorCode.NameTaken);
    }

    [Theory]
    [InlineData("Ana\u200D")] // zero-width joiner
    [InlineData("An\u200Da")]
    [InlineData("An\u200Ca")] // zero-width non-joiner
    [InlineData("Ana\u2060")] // word joiner
    [InlineData("Ana\u200B")] // zero-width space
    [InlineData("Ana\u3164")] // Hangul filler, a letter that shows as nothing
    [InlineData("Ana\uFE0F")] // a variation selector on a letter
    [InlineData("An\u034Fa")] // combining grapheme joiner
    [InlineData("\u200D👩")]
    public void Join_WithAnInvisibleCharacter_ReturnsInvalidNameAndSaysWhy(string name)
    {
        var w = new Workshop();

        var error = w.Fails(new Join(name, Role.Estimator), RoomErrorCode.InvalidName);

        Assert.Contains("invisible", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("👩‍💻 Dev")]
    [InlineData("👩🏽‍💻")]
    [InlineData("🏳️‍🌈 Ana")]
    [InlineData("❤️ Ana")]
    [InlineData("1️⃣ Ana")]
    [InlineData("Zoë")]
    public void Join_WithEmojiSequencesOrAccents_IsAccepted(string name)
    {
        var w = new Workshop();

        var id = w.Seat(name);

        Assert.Equal(name.Normalize(NormalizationForm.FormC), w.Room.FindParticipant(id)!.Name);
    }

    [Fact]
    public void Join_KeepsTheNameAsTyped()
    {
        var w = new Workshop();

        var id = w.Seat("\u0410nna");

        Assert.Equal("\u0410nna", w.Room.FindParticipant(id)!.Name);
    }

    [Theory]
    [InlineData("Ana", "\u0410na")]
    [InlineData("Ana", "An\u0430")]
    [InlineData("rn", "m")]
    [InlineData("l", "1")]
    [InlineData("O", "0")]
    [InlineData("Ana", "Ana\u200D")]
    [InlineData("Éva", "E\u0301va")]
    [InlineData("fi", "\uFB01")] // the ligature
    [InlineData("A", "\U0001D400")] // mathematical bold capital A
    public void Skeleton_OfLookAlikes_IsTheSame(string a, string b) =>
        Assert.Equal(Text.Skeleton(a), Text.Skeleton(b));

    [Theory]
    [InlineData("Ana", "ana")]
    [InlineData("rn", "m\u0301")]
    [InlineData("Ana", "Anna")]
    public void Skeleton_OfDifferentNames_Differs(string a, string b) =>
        Assert.NotEqual(Text.Skeleton(a), Text.Skeleton(b));

    [Fact]
    public void Table_UnpacksEveryEntryTheGeneratorWrote()
    {
        Assert.Equal(Confusables.EntryCount, Confusables.Count);
        Assert.Equal("rn", Confusables.PrototypeOf('m'));
        Assert.Null(Confusables.PrototypeOf('a'));
        Assert.True(Confusables.IsIgnorable(0x200D));
        Assert.False(Confusables.IsIgnorable('a'));
    }

    [Fact]
    public void SeatedNames_NeverLookAlike_AndANameIsRefusedAsTakenOnlyWhenItDoes() =>
        Gen.Select(Gen.Int[0, 2], Gen.Int[1, 6], Gen.OneOf(Pieces).Array[1, 4].Select(p => string.Concat(p)))
            .Select(t => t.Item1 switch
            {
                0 => (RoomCommand)new Join(t.Item3, Role.Estimator),
                1 => new Rename(t.Item2, t.Item3),
                _ => new Leave(t.Item2),
            })
            .Array[1, 40]
            .Sample(commands =>
            {
                var room = Room.Create("r-names", "Names", Deck.Default, RoomSettings.Default, "Fanny", Workshop.Start).GetValueOrThrow();
                foreach (var command in commands)
                {
                    var outcome = room.Execute(command, Workshop.Start);
                    var name = command switch { Join j => j.DisplayName, Rename r => r.DisplayName, _ => null };
                    if (command is Join && name!.Contains('\u200D', StringComparison.Ordinal))
                    {
                        Assert.Equal(RoomErrorCode.InvalidName, outcome.Error?.Code);
                    }

                    if (outcome.Error?.Code == RoomErrorCode.NameTaken)
                    {
                        var actor = command is Rename rename ? rename.Actor : 0;
                        Assert.Contains(room.Participants, p => p.Id != actor && OracleLookAlike(p.Name, name!));
                    }

                    var seated = room.Participants;
                    Assert.DoesNotContain(seated, p => p.Name.Contains('\u200D', StringComparison.Ordinal));
                    for (var i = 0; i < seated.Count; i++)
                    {
                        for (var j = i + 1; j < seated.Count; j++)
                        {
                            Assert.False(OracleLookAlike(seated[i].Name, seated[j].Name), $"{seated[i].Name} and {seated[j].Name} are both seated");
                        }
                    }
                }
            }, iter: Iterations);

    /// <summary>The rule of <c>Text.NamesLookAlike</c>, over the hand-written table.</summary>
    private static bool OracleLookAlike(string a, string b) =>
        string.Equals(a, b, StringComparison.OrdinalIgnoreCase)
        || string.Equals(OracleSkeleton(a).ToLowerInvariant(), OracleSkeleton(b).ToLowerInvariant(), StringComparison.Ordinal)
        || string.Equals(OracleSkeleton(a.ToLowerInvariant()), OracleSkeleton(b.ToLowerInvariant()), StringComparison.Ordinal);

    private static string OracleSkeleton(string s) =>
        string.Concat(s.Normalize(NormalizationForm.FormD).Select(c => KnownConfusables.GetValueOrDefault(c, c.ToString())))
            .Normalize(NormalizationForm.FormD);
}
