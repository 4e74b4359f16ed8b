// Passkeys (WebAuthn): the browser's half of a ceremony. The server's options (JSON) go to navigator.credentials as
// the browser parses them; the authenticator's answer comes back as the browser serialises it (toJSON), for the
// server to check. Loaded by Services/PasskeyBrowser.cs when a page first needs it.

// True when this browser can make and use passkeys the way the app asks (Chromium, Firefox and Safari of 2025 on).
export function supported() {
  return typeof window.PublicKeyCredential === "function"
    && typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function"
    && typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function"
    && !!navigator.credentials;
}

// Makes a passkey: { credential: JSON text } or { error: "cancelled" | "exists" | "unsupported" | "failed" }.
export function create(optionsJson) {
  return ceremony(() => navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(JSON.parse(optionsJson)) }));
}

// Signs with a passkey the person picks (none is named: any of this site's will do). Same answer as create.
export function get(optionsJson) {
  return ceremony(() => navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(JSON.parse(optionsJson)) }));
}

async function ceremony(run) {
  if (!supported()) return { credential: null, error: "unsupported" };
  try {
    const credential = await run();
    return credential ? { credential: JSON.stringify(credential.toJSON()), error: null } : { credential: null, error: "cancelled" };
  } catch (e) {
    // NotAllowedError: the person closed the prompt, or its time ran out (browsers do not say which, on purpose).
    // InvalidStateError: the authenticator already holds a passkey of this account.
    const name = e && e.name;
    const error = name === "NotAllowedError" || name === "AbortError" ? "cancelled" : name === "InvalidStateError" ? "exists" : "failed";
    if (error === "failed") console.warn("passkey ceremony failed:", name, e && e.message);
    return { credential: null, error };
  }
}
