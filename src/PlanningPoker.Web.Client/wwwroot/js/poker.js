// The few things Blazor cannot do from .NET: the browser's storage and language, file downloads, a beep.
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
  setCulture: (name) => { poker.set("poker.culture", name); document.documentElement.lang = name; },
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
document.documentElement.lang = window.poker.culture().slice(0, 2).toLowerCase();
