// The few things Blazor cannot do from .NET: the browser's storage and language, file downloads, a beep.
// Loaded in <head>, before the server-rendered page is shown: it marks the page for a browser that holds a seat.
window.poker = {
  get: (key) => { try { return localStorage.getItem(key); } catch { return null; } },
  set: (key, value) => { try { localStorage.setItem(key, value); } catch { /* private mode: nothing is kept */ } },
  remove: (key) => { try { localStorage.removeItem(key); } catch { } },
  // This tab only (an invitation's token while its holder signs in): gone when the tab closes.
  tabGet: (key) => { try { return sessionStorage.getItem(key); } catch { return null; } },
  tabSet: (key, value) => { try { if (value === null) sessionStorage.removeItem(key); else sessionStorage.setItem(key, value); } catch { } },
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

// The server renders each page first (prerendering), so that a page shows and takes typing before the WebAssembly app
// runs. Until the app takes the page over, this keeps what a person does there, and does it again on the app's own
// elements (which replace the server's):
// - what was typed or chosen (text, selects, radios, check boxes) and the focus, by element id (or kind and place);
// - a disclosure button (aria-expanded + aria-controls) opens and closes its section at once, as the app would;
// - any other button clicked, or a form submitted, is marked busy and clicked again once the app's element is there;
// - the language menu reloads the page in the language chosen.
// Nothing here is stored. It listens from <head> on, so that nothing done while Blazor's script still loads is lost.
(() => {
  const root = () => document.querySelector("main[data-prerendered]");
  const inPrerendered = (e) => e.target instanceof Element && e.target.closest("main[data-prerendered]") !== null;
  const main = () => document.querySelector("main");
  let seen = false; // the server's page has been parsed (this script runs in <head>, before it)

  // Where an element is, so that the app's element of the same place can be found: its id, else its kind (tag and
  // type) and index among the elements of that kind in <main>, with its text as a check.
  const kindOf = (el) => el.tagName + (el.type ? `[type=${el.type}]` : "");
  const locate = (el) => {
    if (el.id) return { id: el.id };
    const kind = kindOf(el);
    const all = [...main().querySelectorAll(el.tagName)].filter(e => kindOf(e) === kind);
    return { kind, index: all.indexOf(el), text: el.textContent.trim() };
  };
  const find = (at) => {
    if (at.id) return document.getElementById(at.id);
    const all = [...main().querySelectorAll(at.kind.split("[")[0])].filter(e => kindOf(e) === at.kind);
    const el = all[at.index];
    return el && el.textContent.trim() === at.text ? el : null;
  };
  const key = (at) => at.id ?? `${at.kind}#${at.index}`;

  const values = new Map();  // key -> { at, value } of text fields and selects
  const checks = new Map();  // key -> { at, checked } of radios and check boxes
  const clicks = [];         // { at, submit } in the order they were made
  let focused = null;

  document.addEventListener("input", (e) => {
    if (!inPrerendered(e) || !("value" in e.target)) return;
    const field = e.target;
    if (field.type === "radio" || field.type === "checkbox") {
      const at = locate(field);
      checks.set(key(at), { at, checked: field.checked });
      if (field.type === "radio") {
        for (const other of document.getElementsByName(field.name)) {
          if (other !== field) { const o = locate(other); checks.set(key(o), { at: o, checked: false }); }
        }
      }
    } else {
      const at = locate(field);
      values.set(key(at), { at, value: field.value });
    }
  }, true);

  document.addEventListener("focusin", (e) => { if (inPrerendered(e)) focused = locate(e.target); }, true);

  const busy = (el) => { el.classList.add("held"); el.setAttribute("aria-busy", "true"); };
  document.addEventListener("click", (e) => {
    if (!inPrerendered(e)) return;
    const control = e.target.closest("button");
    if (!control || control.disabled || control.type === "submit") return; // a submit is held at "submit", after the browser's checks
    e.preventDefault();
    const section = control.hasAttribute("aria-expanded") && document.getElementById(control.getAttribute("aria-controls") ?? "");
    if (section) {
      const open = control.getAttribute("aria-expanded") !== "true";
      control.setAttribute("aria-expanded", String(open));
      section.hidden = !open;
    } else {
      busy(control);
    }
    clicks.push({ at: locate(control), submit: false });
  }, true);

  document.addEventListener("submit", (e) => {
    if (!inPrerendered(e)) return;
    e.preventDefault(); // the app is not running yet: no page reload, no post to the server
    const submitter = e.submitter ?? e.target.querySelector("button[type=submit], button:not([type])");
    if (submitter) {
      busy(submitter);
      clicks.push({ at: locate(submitter), submit: true });
    }
  }, true);

  // The language menu is outside <main>: choosing a language before the app runs reloads the page in it.
  document.addEventListener("change", (e) => {
    if (root() && e.target instanceof HTMLSelectElement && e.target.id === "language") {
      poker.setCulture(e.target.value);
      location.reload();
    }
  }, true);

  // Puts what was typed into the app's field as soon as it is in the document (in the observer's microtask, so that
  // nobody sees it empty), once per element: the app may render its form more than once while it starts. The app's
  // bindings take the value at once, as a person's typing (its render batch is over by the microtask): a key or a
  // click a moment later (Enter on the form) must find it in the app's model, not only on the screen.
  const restored = new WeakSet();
  const restore = () => {
    for (const { at, value } of values.values()) {
      const field = find(at);
      if (!field || restored.has(field)) continue;
      restored.add(field);
      if (field.value !== value) {
        field.value = value;
        field.dispatchEvent(new Event("input", { bubbles: true }));
        field.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
    // Radios and check boxes the same way: a click sets them, as the person's did.
    for (const { at, checked } of checks.values()) {
      const box = find(at);
      if (!box || restored.has(box)) continue;
      restored.add(box);
      if (box.checked !== checked) box.click();
    }
  };

  // Puts the focus back in the app's element as soon as it is there (the server's went with the page it replaced):
  // a key pressed a moment later goes into the field, not to the page. The app's start is one long task, and keys
  // pressed during it are delivered when it ends, to what has the focus then: the person's focus wins at once over
  // the one the app gives its page as it starts (its heading, or nothing), not a task later.
  // Once the app has settled (force), it wins over any.
  const givenByApp = (el) => !el || el === document.body || el.getAttribute("tabindex") === "-1";
  const refocus = (force) => {
    const field = focused && find(focused);
    if (!field || document.activeElement === field) return;
    if (!force && !givenByApp(document.activeElement)) return;
    field.focus();
    if (typeof field.setSelectionRange === "function" && typeof field.value === "string" && field.type !== "email") {
      try { field.setSelectionRange(field.value.length, field.value.length); } catch { /* not a text field */ }
    }
  };

  const nextTask = () => new Promise(resolve => setTimeout(resolve, 0));

  // Once the server's elements are gone and the app's are all there: what was typed and chosen (if not yet), the
  // focus, then the clicks in their order, a task apart, so that the app handles each (and renders) as it would a
  // person's.
  const ready = () => [...values.values(), ...checks.values(), ...clicks].every(({ at }) => find(at) !== null);
  const replay = async () => {
    restore();
    refocus(true);
    for (const { at } of clicks) {
      await nextTask();
      find(at)?.click();
    }
  };

  let scheduled = false;
  let settled = false;
  const observer = new MutationObserver(() => {
    if (root()) { seen = true; return; }
    if (!seen || settled) return;
    restore();
    refocus(false);
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      if (settled || !ready()) return; // the app shows something else first (loading): wait for its elements
      settled = true;
      observer.disconnect();
      void replay();
    }, 0);
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
  // Gives up after a while: the app may show something else for good (the room, for a browser holding a seat there).
  setTimeout(() => observer.disconnect(), 60000);
})();
