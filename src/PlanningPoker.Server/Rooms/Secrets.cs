using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PlanningPoker.Server.Rooms;

/// <summary>Room ids, tokens and passcodes: random where they must be unguessable, hashed where they are stored.</summary>
public static class Secrets
{
    // Crockford's base32 alphabet, lower case: no i, l, o, u, so a room code read aloud is not misheard.
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    private const int PasscodeIterations = 20_000;

    /// <summary>A new room id: 80 random bits as 16 base32 characters.</summary>
    public static string NewRoomId()
    {
        Span<byte> bytes = stackalloc byte[10];
        RandomNumberGenerator.Fill(bytes);
        var chars = new char[16];
        ulong buffer = 0;
        int bits = 0, c = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                chars[c++] = Alphabet[(int)((buffer >> bits) & 31)];
            }
        }

        return new string(chars);
    }

    /// <summary>True when the text has the shape of a room id (16 base32 characters), so that junk never activates a grain.</summary>
    public static bool IsRoomId(string? text) => text is { Length: 16 } && text.All(ch => Alphabet.Contains(ch, StringComparison.Ordinal));

    /// <summary>
    /// A room id as people type it, in the canonical form: lower case, and the letters Crockford's base32 leaves
    /// out read as the digits they look like (i and l as 1, o as 0). Null stays null.
    /// </summary>
    public static string? NormalizeRoomId(string? text) =>
        text?.Trim().ToLowerInvariant().Replace('i', '1').Replace('l', '1').Replace('o', '0');

    /// <summary>A new participant token: 256 random bits, base64url.</summary>
    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The token of a seat held by an account: HMAC-SHA-256 of the account and the seat under the room's account key,
    /// so that every browser the person signs in from is given the same token for the same seat, and nobody without
    /// the key (kept with the room, never shown) can make one. A new seat (after leaving) has a new token.
    /// </summary>
    public static string AccountToken(string accountKey, Guid account, int participantId)
    {
        ArgumentNullException.ThrowIfNull(accountKey);
        var message = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{account:D}/{participantId}"));
        return Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(accountKey), message));
    }

    /// <summary>The stored form of a token: SHA-256, base64url. Tokens are random, so no salt or stretching is needed.</summary>
    public static string HashToken(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    /// <summary>Compares a presented key with the room's in constant time (no early exit that a timing could reveal).</summary>
    public static bool KeyMatches(string? presented, string? expected) =>
        presented is { Length: > 0 and <= 256 } && expected is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>The stored form of a passcode: PBKDF2-SHA256 with a random salt, since passcodes are guessable.</summary>
    public static string HashPasscode(string passcode)
    {
        ArgumentNullException.ThrowIfNull(passcode);
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passcode), salt, PasscodeIterations, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2-sha256${PasscodeIterations}${Base64Url(salt)}${Base64Url(hash)}";
    }

    /// <summary>Checks a passcode against its stored form in constant time.</summary>
    public static bool VerifyPasscode(string? passcode, string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var parts = stored.Split('$');
        if (passcode is null || parts.Length != 4 || !int.TryParse(parts[1], out var iterations))
        {
            return false;
        }

        var expected = FromBase64Url(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passcode), FromBase64Url(parts[2]), iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    private static byte[] FromBase64Url(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);
}
