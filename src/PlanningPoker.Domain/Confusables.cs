using System.Collections.Frozen;
using System.Text;

namespace PlanningPoker.Domain;

/// <summary>
/// Reads the generated table (<c>Confusables.g.cs</c>, from <c>tools/confusables/generate.py</c>): each code point's
/// prototype under UTS #39, and the Default_Ignorable code points. Used by <see cref="Text.Skeleton"/>.
/// </summary>
internal static partial class Confusables
{
    private static readonly FrozenDictionary<int, string> Prototypes = Unpack();

    /// <summary>How many code points the table maps.</summary>
    public static int Count => Prototypes.Count;

    /// <summary>The prototype a code point looks like, or null when it is its own.</summary>
    public static string? PrototypeOf(int codePoint) => Prototypes.GetValueOrDefault(codePoint);

    /// <summary>Tells whether the code point is Default_Ignorable: shown as nothing (joiners, fillers, variation selectors).</summary>
    public static bool IsIgnorable(int codePoint)
    {
        for (var i = 0; i < IgnorableRanges.Length && IgnorableRanges[i] <= codePoint; i += 2)
        {
            if (codePoint <= IgnorableRanges[i + 1])
            {
                return true;
            }
        }

        return false;
    }

    private static FrozenDictionary<int, string> Unpack()
    {
        var bytes = Convert.FromBase64String(Packed);
        var map = new Dictionary<int, string>(EntryCount);
        var at = 0;
        var codePoint = -1;
        while (at < bytes.Length)
        {
            codePoint += ReadVarint(bytes, ref at) + 1;
            var length = ReadVarint(bytes, ref at);
            map.Add(codePoint, Encoding.UTF8.GetString(bytes, at, length));
            at += length;
        }

        return map.ToFrozenDictionary();
    }

    private static int ReadVarint(byte[] bytes, ref int at)
    {
        var value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[at++];
            value |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
