using System.Buffers.Binary;
using System.Buffers.Text;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PlanningPoker.Server.Tests.Identity;

/// <summary>
/// A software authenticator holding one passkey (ES256, "none" attestation), answering the options a server gives as a
/// browser's <c>navigator.credentials.create</c> and <c>get</c> would, serialised as <c>PublicKeyCredential.toJSON()</c>.
/// It does what a platform authenticator does (user present and verified, a signature counter), so that a server test
/// can go through sign-up, sign-out and sign-in with a passkey without a browser.
/// </summary>
public sealed class SoftPasskey : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private uint _signCount;

    /// <param name="origin">The origin of the page the browser would be on, e.g. http://127.0.0.1:5000.</param>
    public SoftPasskey(Uri origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        Origin = origin.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>What clientDataJSON names as the page's origin.</summary>
    public string Origin { get; set; }

    /// <summary>The credential id (random, 16 bytes).</summary>
    public byte[] CredentialId { get; } = RandomNumberGenerator.GetBytes(16);

    /// <summary>The credential id as the API writes it (base64url, no padding).</summary>
    public string Id => Base64Url.EncodeToString(CredentialId);

    /// <summary>The user handle the passkey was made for (the account id, as UTF-8), once made.</summary>
    public byte[]? UserHandle { get; private set; }

    /// <summary>Answers creation options: a new credential for their relying party and user.</summary>
    public JsonObject Create(string creationOptionsJson)
    {
        var options = JsonNode.Parse(creationOptionsJson)!;
        var rpId = (string)options["rp"]!["id"]!;
        UserHandle = Base64Url.DecodeFromChars((string)options["user"]!["id"]!);
        var clientData = ClientData("webauthn.create", (string)options["challenge"]!);

        var parameters = _key.ExportParameters(includePrivateParameters: false);
        var coseKey = new CborWriter(CborConformanceMode.Ctap2Canonical);
        coseKey.WriteStartMap(5);
        coseKey.WriteInt32(1);
        coseKey.WriteInt32(2); // kty: EC2
        coseKey.WriteInt32(3);
        coseKey.WriteInt32(-7); // alg: ES256
        coseKey.WriteInt32(-1);
        coseKey.WriteInt32(1); // crv: P-256
        coseKey.WriteInt32(-2);
        coseKey.WriteByteString(parameters.Q.X!);
        coseKey.WriteInt32(-3);
        coseKey.WriteByteString(parameters.Q.Y!);
        coseKey.WriteEndMap();

        var idLength = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(idLength, (ushort)CredentialId.Length);
        byte[] authenticatorData = [.. AuthenticatorData(rpId, flags: 0x45), .. new byte[16], .. idLength, .. CredentialId, .. coseKey.Encode()]; // UP, UV, AT; AAGUID zero

        var attestation = new CborWriter(CborConformanceMode.Ctap2Canonical);
        attestation.WriteStartMap(3);
        attestation.WriteTextString("fmt");
        attestation.WriteTextString("none");
        attestation.WriteTextString("attStmt");
        attestation.WriteStartMap(0);
        attestation.WriteEndMap();
        attestation.WriteTextString("authData");
        attestation.WriteByteString(authenticatorData);
        attestation.WriteEndMap();

        return Credential(new JsonObject
        {
            ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
            ["attestationObject"] = Base64Url.EncodeToString(attestation.Encode()),
            ["transports"] = new JsonArray("internal"),
        });
    }

    /// <summary>Answers request options: an assertion signed with the passkey.</summary>
    public JsonObject Get(string requestOptionsJson)
    {
        var options = JsonNode.Parse(requestOptionsJson)!;
        var clientData = ClientData("webauthn.get", (string)options["challenge"]!);
        var authenticatorData = AuthenticatorData((string)options["rpId"]!, flags: 0x05); // UP, UV
        byte[] signed = [.. authenticatorData, .. SHA256.HashData(clientData)];
        var signature = _key.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        return Credential(new JsonObject
        {
            ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
            ["authenticatorData"] = Base64Url.EncodeToString(authenticatorData),
            ["signature"] = Base64Url.EncodeToString(signature),
            ["userHandle"] = UserHandle is null ? null : Base64Url.EncodeToString(UserHandle),
        });
    }

    public void Dispose() => _key.Dispose();

    /// <summary>rpIdHash, flags and the signature counter (one more at each use, as authenticators count).</summary>
    private byte[] AuthenticatorData(string rpId, byte flags)
    {
        var count = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(count, ++_signCount);
        return [.. SHA256.HashData(Encoding.UTF8.GetBytes(rpId)), flags, .. count];
    }

    private byte[] ClientData(string type, string challenge) =>
        JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["type"] = type, ["challenge"] = challenge, ["origin"] = Origin, ["crossOrigin"] = false });

    private JsonObject Credential(JsonObject response) => new()
    {
        ["id"] = Id,
        ["rawId"] = Id,
        ["type"] = "public-key",
        ["response"] = response,
        ["authenticatorAttachment"] = "platform",
        ["clientExtensionResults"] = new JsonObject(),
    };
}
