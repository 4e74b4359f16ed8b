// The few things Blazor cannot do from .NET: the browser's storage and language, file downloads, a beep.
// Loaded in <head>, before the server-rendered page is shown: it marks the page for a browser that holds a seat.
window.poker = {
  get: (key) => { try { return localStorage.getItem(key); } catch { return null; } },
  set: (key, value) => { try { localStorage.setItem(key, value); } catch { /* private mode: nothing is kept */ } },
  remove: (key) => { try { localStorage.removeItem(key); } catch { } },
  // The culture the app starts in: the one chosen here before, else the browser's, when French or English.
  // Blazor starts with it (applicationCulture), so its ICU data and satellite resources load up front.
  culture: () => {
    const tag = poker.get("poker.culture") || navigator.language || "en";
    const lang = tag.slice(0, 2).toLowerCase();
    return lang === "fr" || lang === "en" ? tag : "en";
  },
  // The server renders the first page in the language of this cookie (else of Accept-Language), as the app will run.
  setCulture: (name) => {
    poker.set("poker.culture", name);
    document.cookie = `poker.culture=${encodeURIComponent(name)}; path=/; max-age=31536000; samesite=lax`;
    document.documentElement.lang = name;
  },
  // Saves bytes (base64) as a file.
  download: (name, type, base64) => {
    const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type }));
    const a = document.createElement("a");
    a.href = url; a.download = name; a.rel = "noopener noreferrer";
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  },
  copy: async (text) => { try { await navigator.clipboard.writeText(text); return true; } catch { return false; } },
  beep: () => {
    try {
      const ctx = new AudioContext(); const osc = ctx.createOscillator(); const gain = ctx.createGain();
      osc.frequency.value = 880; gain.gain.value = 0.1; osc.connect(gain); gain.connect(ctx.destination);
      osc.start(); osc.stop(ctx.currentTime + 0.25);
    } catch { }
  },
  focus: (id) => document.getElementById(id)?.focus(),
  select: (id) => { const e = document.getElementById(id); if (e) { e.focus(); e.select(); } },
  // The facilitator key travels in the fragment (never sent to a server, never in a Referer): once read, drop it from
  // the address bar and the history, so that it is not shared by accident with the page's plain link.
  dropFragment: () => { if (location.hash) history.replaceState(history.state, '', location.pathname + location.search); },
};
(() => {
  const chosen = poker.get("poker.culture");
  if (chosen && !document.cookie.split("; ").includes(`poker.culture=${encodeURIComponent(chosen)}`)) {
    poker.setCulture(chosen); // chosen before the server read the cookie: from the next page on
  }
  document.documentElement.lang = poker.culture().slice(0, 2).toLowerCase();
  // The server cannot know this browser's seats: it renders a room's join form. A browser holding a seat there
  // gets the room once the app starts, so the form is hidden until then (app.css: html.seated [data-prerendered]).
  const room = /^\/rooms\/([^/]+)\/?$/.exec(location.pathname);
  if (room) {
    try {
      const id = decodeURIComponent(room[1]).toLowerCase();
      const seats = JSON.parse(poker.get("poker.seats") || "[]");
      if (seats.some(s => s && s.Token && String(s.RoomId).toLowerCase() === id)) document.documentElement.classList.add("seated");
    } catch { /* damaged storage: the app starts afresh too */ }
  }
})();

// The server renders each page first (prerendering), so a form can be filled in before the WebAssembly app runs.
// When the app takes the page over, it renders its own elements in place of the server's: what was typed, the
// radio button chosen and the focus are carried over to the new elements of the same id (or name and place), and a
// form submitted early is submitted again once the app's own form is there. Nothing here is stored. It listens from
// <head> on, so that nothing typed or clicked while Blazor's script still loads is lost.
(() => {
  const prerendered = () => document.querySelector("[data-prerendered]");
  const inPrerendered = (e) => e.target instanceof Element && e.target.closest("[data-prerendered]");
  let seen = false;          // the server's page has been parsed (this script runs in <head>, before it)

  const typed = new Map();   // id -> value
  const checked = new Map(); // radio name -> its index among the radios of that name
  let focusedId = null;
  let submitFrom = null;     // the id of a field of the form submitted early

  const radioIndex = (radio) => [...document.getElementsByName(radio.name)].indexOf(radio);
  document.addEventListener("input", (e) => {
    if (!inPrerendered(e)) return;
    const field = e.target;
    if (field.type === "radio" && field.name) {
      checked.set(field.name, radioIndex(field));
    } else if (field.type !== "checkbox" && field.id && "value" in field) {
      typed.set(field.id, field.value);
    }
  }, true);
  document.addEventListener("focusin", (e) => { if (inPrerendered(e)) focusedId = e.target.id || null; }, true);
  document.addEventListener("submit", (e) => {
    if (!inPrerendered(e)) return;
    e.preventDefault(); // the app is not running yet: no page reload, no post to the server
    const field = e.target.querySelector("[id]");
    submitFrom = field ? field.id : null;
  }, true);

  const settle = () => {
    if (prerendered()) {
      seen = true;
      return false;
    }

    if (!seen) {
      return false;
    }

    const pending = [...typed.keys()].filter(id => !document.getElementById(id));
    if (pending.length > 0 || (submitFrom && !document.getElementById(submitFrom))) {
      return false; // the app shows something else first (loading): wait for its form
    }

    for (const id of typed.keys()) {
      restore(document.getElementById(id));
    }

    for (const [name, index] of checked) {
      const radio = document.getElementsByName(name)[index];
      if (radio && !radio.checked) radio.click();
    }

    const focused = focusedId && document.getElementById(focusedId);
    if (focused && document.activeElement !== focused) {
      focused.focus();
      if (typeof focused.setSelectionRange === "function" && typeof focused.value === "string" && focused.type !== "email") {
        try { focused.setSelectionRange(focused.value.length, focused.value.length); } catch { /* not a text field */ }
      }
    }

    const form = submitFrom && document.getElementById(submitFrom)?.form;
    if (form) {
      form.requestSubmit();
    }

    return true;
  };

  // The app renders in batches; act once the server's elements are gone and the app's form is in the document, after
  // the batch (a task later), so that the app handles the events like a person's.
  // Puts what was typed into an app's field as soon as it is in the document (a microtask after the app's render,
  // so that nobody sees it empty), once per element: the app may render its form more than once while it starts.
  const restored = new WeakSet();
  const restore = (field) => {
    if (!field || restored.has(field) || !typed.has(field.id)) return;
    restored.add(field);
    if (field.value === "" && typed.get(field.id) !== "") {
      field.value = typed.get(field.id);
      // A task later, after the render batch, the app's bindings take the value like a person's typing.
      setTimeout(() => {
        field.dispatchEvent(new Event("input", { bubbles: true }));
        field.dispatchEvent(new Event("change", { bubbles: true }));
      }, 0);
    }
  };

  let scheduled = false;
  let settled = false;
  const observer = new MutationObserver(() => {
    if (!seen && prerendered()) seen = true;
    if (!seen || prerendered()) return;
    for (const id of typed.keys()) restore(document.getElementById(id));
    if (scheduled || settled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      settled = settle();
    }, 0);
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
  // Keeps watching for a while: the app may render its form again as it starts, or show the room instead (a seat
  // held here).
  setTimeout(() => observer.disconnect(), 60000);
})();
