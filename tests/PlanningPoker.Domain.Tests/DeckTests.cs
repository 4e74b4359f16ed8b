using System.Globalization;

namespace PlanningPoker.Domain.Tests;

public sealed class DeckTests
{
    public static TheoryData<DeckType, string, string> BuiltInDecks => new()
    {
        { DeckType.Fibonacci, "0 1 2 3 5 8 13 21 34 55 89", "0 1 2 3 5 8 13 21 34 55 89" },
        { DeckType.ModifiedFibonacci, "0 ½ 1 2 3 5 8 13 20 40 100", "0 0.5 1 2 3 5 8 13 20 40 100" },
        { DeckType.TShirt, "XS S M L XL XXL", "- - - - - -" },
        { DeckType.PowersOfTwo, "0 1 2 4 8 16 32 64", "0 1 2 4 8 16 32 64" },
        { DeckType.Hours, "0.5 1 2 4 8 16 24 40", "0.5 1 2 4 8 16 24 40" },
    };

    public static TheoryData<SpecialCards, string> SpecialCardsPerFlag => new()
    {
        { SpecialCards.None, "" },
        { SpecialCards.Unsure, "?" },
        { SpecialCards.Break, "☕" },
        { SpecialCards.Infinity, "∞" },
        { SpecialCards.Unsure | SpecialCards.Infinity, "? ∞" },
        { SpecialCards.All, "? ☕ ∞" },
    };

    [Theory]
    [MemberData(nameof(BuiltInDecks))]
    public void Standard_BuiltInDeck_HasExactRegularCardsInOrder(DeckType type, string labels, string values)
    {
        var deck = Deck.Standard(type, SpecialCards.None);

        Assert.Equal(type, deck.Type);
        Assert.Equal(labels, string.Join(' ', deck.RegularCards.Select(c => c.Label)));
        Assert.Equal(values, string.Join(' ', deck.RegularCards.Select(c => c.Value?.ToString(CultureInfo.InvariantCulture) ?? "-")));
        Assert.All(deck.RegularCards, c => Assert.Equal(CardKind.Regular, c.Kind));
        Assert.Equal<Card>(deck.RegularCards, deck.Cards);
    }

    [Theory]
    [InlineData(DeckType.Fibonacci, true)]
    [InlineData(DeckType.ModifiedFibonacci, true)]
    [InlineData(DeckType.TShirt, false)]
    [InlineData(DeckType.PowersOfTwo, true)]
    [InlineData(DeckType.Hours, true)]
    public void IsNumeric_BuiltInDeck_FalseOnlyForTShirt(DeckType type, bool expected)
    {
        var deck = Deck.Standard(type, SpecialCards.All);

        Assert.Equal(expected, deck.IsNumeric);
    }

    [Theory]
    [MemberData(nameof(SpecialCardsPerFlag))]
    public void Standard_WithSpecialFlags_AppendsTheseSpecialCardsAfterRegularOnes(SpecialCards specials, string expected)
    {
        var deck = Deck.Standard(DeckType.Fibonacci, specials);

        var appended = deck.Cards.Skip(deck.RegularCards.Length).ToArray();
        Assert.Equal(specials, deck.Specials);
        Assert.Equal(expected, string.Join(' ', appended.Select(c => c.Label)));
        Assert.All(appended, c => Assert.True(c.IsSpecial));
        Assert.All(appended, c => Assert.Null(c.Value));
        Assert.All(appended, c => Assert.False(c.IsNumeric));
        Assert.Equal(deck.RegularCards, deck.Cards.Take(deck.RegularCards.Length));
    }

    [Fact]
    public void Standard_SpecialCards_HaveTheirKinds()
    {
        var deck = Deck.Standard(DeckType.Hours, SpecialCards.All);

        Assert.Equal(Card.Unsure, deck.Find("?"));
        Assert.Equal(CardKind.Unsure, deck.Find("?")!.Kind);
        Assert.Equal(CardKind.Break, deck.Find("☕")!.Kind);
        Assert.Equal(CardKind.Infinity, deck.Find("∞")!.Kind);
    }

    [Fact]
    public void Standard_WithUndefinedFlags_KeepsOnlyKnownSpecials()
    {
        var deck = Deck.Standard(DeckType.Fibonacci, SpecialCards.Unsure | (SpecialCards)8);

        Assert.Equal(SpecialCards.Unsure, deck.Specials);
        Assert.Equal("?", deck.Cards[^1].Label);
    }

    [Fact]
    public void Standard_WithoutSpecialsArgument_OffersUnsureAndBreak()
    {
        var deck = Deck.Standard(DeckType.PowersOfTwo);

        Assert.Equal(SpecialCards.Unsure | SpecialCards.Break, deck.Specials);
    }

    [Fact]
    public void Default_IsFibonacciWithUnsureAndBreak()
    {
        var deck = Deck.Default;

        Assert.Equal(DeckType.Fibonacci, deck.Type);
        Assert.Equal("0 1 2 3 5 8 13 21 34 55 89 ? ☕", deck.ToString());
    }

    [Fact]
    public void Standard_Custom_Throws()
    {
        var error = Record.Exception(() => Deck.Standard(DeckType.Custom));

        Assert.IsType<ArgumentException>(error);
    }

    [Fact]
    public void Custom_ValidCards_KeepsOrderValuesAndSpecials()
    {
        var deck = Custom([new Card("tiny", 1m), new Card("big", 10m), new Card("?!", null)], SpecialCards.Infinity);

        Assert.Equal(DeckType.Custom, deck.Type);
        Assert.Equal("tiny big ?! ∞", deck.ToString());
        Assert.Equal([1m, 10m, null], deck.RegularCards.Select(c => c.Value));
        Assert.Equal(SpecialCards.Infinity, deck.Specials);
    }

    [Fact]
    public void Custom_LabelsWithSpaces_AreTrimmed()
    {
        var deck = Custom([new Card("  a ", 1m), new Card("b\t", 2m)]);

        Assert.Equal("a b", deck.ToString());
    }

    [Fact]
    public void Custom_CardGivenAsSpecialKind_BecomesRegular()
    {
        var deck = Custom([new Card("x", 1m, CardKind.Break), new Card("y", 2m)]);

        Assert.All(deck.RegularCards, c => Assert.Equal(CardKind.Regular, c.Kind));
        Assert.Equal(0, deck.PositionOf(deck.Find("x")!));
    }

    [Fact]
    public void Custom_NoSpecialsArgument_OffersNone()
    {
        var deck = Custom([new Card("a", 1m), new Card("b", 2m)]);

        Assert.Equal(SpecialCards.None, deck.Specials);
        Assert.Equal(2, deck.Cards.Length);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(30)]
    public void Custom_CardCountWithinTwoToThirty_IsAccepted(int count)
    {
        var cards = NumberedCards(count);

        var result = Deck.Custom(cards);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(count, result.Value!.RegularCards.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(31)]
    public void Custom_CardCountOutsideTwoToThirty_ReturnsInvalidDeck(int count)
    {
        var cards = NumberedCards(count);

        var result = Deck.Custom(cards);

        AssertInvalidDeck(result);
    }

    [Theory]
    [InlineData("a", "a")]
    [InlineData("a", "A")]
    [InlineData("xl", "XL")]
    [InlineData("a", " a ")]
    public void Custom_DuplicateLabelIgnoringCase_ReturnsInvalidDeck(string first, string second)
    {
        var cards = new[] { new Card(first, 1m), new Card("other", 2m), new Card(second, 3m) };

        var result = Deck.Custom(cards);

        AssertInvalidDeck(result);
    }

    [Theory]
    [InlineData("?")]
    [InlineData("☕")]
    [InlineData("∞")]
    public void Custom_ReservedSpecialLabel_ReturnsInvalidDeck(string label)
    {
        var cards = new[] { new Card("1", 1m), new Card(label, 2m) };

        var result = Deck.Custom(cards, SpecialCards.None);

        AssertInvalidDeck(result);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("123456789")]
    [InlineData("two\nlines")]
    [InlineData("cr\rline")]
    [InlineData("bell\a")]
    public void Custom_InvalidLabel_ReturnsInvalidDeck(string label)
    {
        var cards = new[] { new Card("1", 1m), new Card(label, 2m) };

        var result = Deck.Custom(cards);

        AssertInvalidDeck(result);
    }

    [Fact]
    public void Custom_NullLabel_ReturnsInvalidDeck()
    {
        var cards = new[] { new Card("1", 1m), new Card(null!, 2m) };

        var result = Deck.Custom(cards);

        AssertInvalidDeck(result);
    }

    [Fact]
    public void Custom_NullCard_ReturnsInvalidDeck()
    {
        var cards = new[] { new Card("1", 1m), null! };

        var result = Deck.Custom(cards);

        AssertInvalidDeck(result);
    }

    [Theory]
    [InlineData("12345678")]
    [InlineData("👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽")]
    public void Custom_LabelOfEightCharacters_IsAccepted(string label)
    {
        var cards = new[] { new Card("1", 1m), new Card(label, 2m) };

        var result = Deck.Custom(cards);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(label, result.Value!.RegularCards[1].Label);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("-0.01")]
    [InlineData("1000000.01")]
    [InlineData("1000001")]
    public void Custom_ValueOutOfRange_ReturnsInvalidDeck(string value)
    {
        var cards = new[] { new Card("a", 1m), new Card("b", decimal.Parse(value, CultureInfo.InvariantCulture)) };

        var result = Deck.Custom(cards);

        AssertInvalidDeck(result);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0.25")]
    [InlineData("1000000")]
    public void Custom_ValueWithinRange_IsAccepted(string value)
    {
        var parsed = decimal.Parse(value, CultureInfo.InvariantCulture);
        var cards = new[] { new Card("a", null), new Card("b", parsed) };

        var result = Deck.Custom(cards);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(parsed, result.Value!.RegularCards[1].Value);
    }

    [Theory]
    [InlineData("1", "3", "2")]
    [InlineData("5", "3")]
    [InlineData("2", "2")]
    [InlineData("2", "2.0")]
    [InlineData("0.5", "1", "0.99")]
    public void Custom_ValuesNotStrictlyAscending_ReturnsInvalidDeckSayingWhy(params string[] values)
    {
        var cards = values.Select((v, i) => new Card($"c{i}", decimal.Parse(v, CultureInfo.InvariantCulture))).ToArray();

        var result = Deck.Custom(cards);

        AssertInvalidDeck(result);
        Assert.Contains("ascending value order", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_ValuesDescendingAcrossValuelessCards_ReturnsInvalidDeck()
    {
        var cards = new[] { new Card("big", 8m), new Card("?!", null), new Card("small", 3m) };

        var result = Deck.Custom(cards);

        AssertInvalidDeck(result);
        Assert.Contains("'small' (3) comes after 'big' (8)", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_ValuelessCardsAnywhereBetweenAscendingValues_IsAccepted()
    {
        var cards = new[] { new Card("tiny", null), new Card("1", 1m), new Card("huge", null), new Card("1.5", 1.5m), new Card("XL", null) };

        var result = Deck.Custom(cards);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal("tiny 1 huge 1.5 XL", result.Value!.ToString());
    }

    [Fact]
    public void Custom_NullCardList_Throws()
    {
        var error = Record.Exception(() => Deck.Custom(null!));

        Assert.IsType<ArgumentNullException>(error);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("89")]
    [InlineData("?")]
    [InlineData("☕")]
    public void Find_PlayableLabel_ReturnsThatCard(string label)
    {
        var deck = Deck.Default;

        var card = deck.Find(label);

        Assert.NotNull(card);
        Assert.Equal(label, card.Label);
        Assert.Contains(card, deck.Cards);
    }

    [Theory]
    [InlineData("4")]
    [InlineData("∞")]
    [InlineData("")]
    [InlineData(" 5")]
    [InlineData("05")]
    public void Find_LabelNotPlayable_ReturnsNull(string label)
    {
        var deck = Deck.Default;

        var card = deck.Find(label);

        Assert.Null(card);
    }

    [Fact]
    public void Find_OtherCase_ReturnsNull()
    {
        var deck = Deck.Standard(DeckType.TShirt, SpecialCards.None);

        var card = deck.Find("xs");

        Assert.Null(card);
    }

    [Fact]
    public void Find_Null_ReturnsNull()
    {
        var deck = Deck.Default;

        var card = deck.Find(null!);

        Assert.Null(card);
    }

    [Fact]
    public void Find_NumberCard_CarriesItsValue()
    {
        var deck = Deck.Standard(DeckType.ModifiedFibonacci, SpecialCards.None);

        var card = deck.Find("½");

        Assert.Equal(new Card("½", 0.5m), card);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1", 1)]
    [InlineData("5", 4)]
    [InlineData("89", 10)]
    public void PositionOf_RegularCard_ReturnsIndexAmongRegularCards(string label, int expected)
    {
        var deck = Deck.Standard(DeckType.Fibonacci, SpecialCards.All);

        var position = deck.PositionOf(deck.Find(label)!);

        Assert.Equal(expected, position);
    }

    [Fact]
    public void PositionOf_TShirtCards_FollowDeckOrder()
    {
        var deck = Deck.Standard(DeckType.TShirt, SpecialCards.None);

        var positions = deck.RegularCards.Select(deck.PositionOf);

        Assert.Equal([0, 1, 2, 3, 4, 5], positions);
    }

    [Theory]
    [InlineData("?")]
    [InlineData("☕")]
    [InlineData("∞")]
    public void PositionOf_SpecialCard_ReturnsMinusOne(string label)
    {
        var deck = Deck.Standard(DeckType.Fibonacci, SpecialCards.All);

        var position = deck.PositionOf(deck.Find(label)!);

        Assert.Equal(-1, position);
    }

    [Fact]
    public void PositionOf_CardNotInDeck_ReturnsMinusOne()
    {
        var deck = Deck.Standard(DeckType.Fibonacci, SpecialCards.All);

        var position = deck.PositionOf(new Card("4", 4m));

        Assert.Equal(-1, position);
    }

    [Fact]
    public void PositionOf_SpecialCardNotOffered_ReturnsMinusOne()
    {
        var deck = Deck.Standard(DeckType.Fibonacci, SpecialCards.None);

        var position = deck.PositionOf(Card.Infinity);

        Assert.Equal(-1, position);
    }

    [Theory]
    [InlineData(DeckType.Fibonacci, SpecialCards.None)]
    [InlineData(DeckType.ModifiedFibonacci, SpecialCards.All)]
    [InlineData(DeckType.TShirt, SpecialCards.Unsure)]
    [InlineData(DeckType.PowersOfTwo, SpecialCards.Break | SpecialCards.Infinity)]
    [InlineData(DeckType.Hours, SpecialCards.Unsure | SpecialCards.Break)]
    public void Restore_SnapshotOfBuiltInDeck_EqualsOriginal(DeckType type, SpecialCards specials)
    {
        var deck = Deck.Standard(type, specials);

        var restored = Deck.Restore(new DeckSnapshot(deck.Type, deck.RegularCards, deck.Specials));

        Assert.Equal(deck, restored);
        Assert.Equal(deck.GetHashCode(), restored.GetHashCode());
        Assert.Equal<Card>(deck.Cards, restored.Cards);
    }

    [Fact]
    public void Restore_SnapshotOfCustomDeck_EqualsOriginal()
    {
        var deck = Custom([new Card("S", null), new Card("1", 1m), new Card("2.5", 2.5m)], SpecialCards.Unsure);

        var restored = Deck.Restore(new DeckSnapshot(deck.Type, [.. deck.RegularCards], deck.Specials));

        Assert.Equal(deck, restored);
        Assert.Equal(deck.GetHashCode(), restored.GetHashCode());
        Assert.Equal(deck.PositionOf(deck.Find("2.5")!), restored.PositionOf(restored.Find("2.5")!));
    }

    [Fact]
    public void Restore_Null_Throws()
    {
        var error = Record.Exception(() => Deck.Restore(null!));

        Assert.IsType<ArgumentNullException>(error);
    }

    [Fact]
    public void Equals_DifferentSpecials_IsFalse()
    {
        var withUnsure = Deck.Standard(DeckType.Fibonacci, SpecialCards.Unsure);
        var withBreak = Deck.Standard(DeckType.Fibonacci, SpecialCards.Break);

        var equal = withUnsure.Equals(withBreak);

        Assert.False(equal);
    }

    [Fact]
    public void Equals_DifferentCustomCards_IsFalse()
    {
        var deck = Custom([new Card("a", 1m), new Card("b", 2m)]);
        var other = Custom([new Card("a", 1m), new Card("b", 3m)]);

        var equal = deck.Equals(other);

        Assert.False(equal);
    }

    [Fact]
    public void Equals_SameTypeAndSpecialsBuiltTwice_IsTrue()
    {
        var deck = Deck.Standard(DeckType.TShirt, SpecialCards.All);
        var other = Deck.Standard(DeckType.TShirt, SpecialCards.All);

        var equal = deck.Equals((object)other);

        Assert.True(equal);
    }

    private static Deck Custom(Card[] cards, SpecialCards specials = SpecialCards.None) =>
        Deck.Custom(cards, specials).GetValueOrThrow();

    private static Card[] NumberedCards(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new Card(i.ToString(CultureInfo.InvariantCulture), i))];

    private static void AssertInvalidDeck(Result<Deck> result)
    {
        Assert.False(result.IsSuccess);
        Assert.Equal(RoomErrorCode.InvalidDeck, result.Error!.Code);
        Assert.Null(result.Value);
    }
}
