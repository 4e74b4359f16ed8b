// Small things Blazor cannot do from .NET, loaded when a component first needs them (js/poker.js holds what must run
// before the app, and the calls every page makes).

// Keys that a widget handles itself must not also do what the browser does with them: in a menu, the arrow keys,
// Home and End move between the items, and must not scroll the page too. Blazor's @onkeydown:preventDefault is all
// or nothing (a menu still needs Enter, Space and Tab), so this listener prevents only the keys named, only for key
// presses inside the elements matching the selector, anywhere under the given element (elements added later too).
export function keepKeys(element, selector, keys) {
  element?.addEventListener("keydown", (e) => {
    if (keys.includes(e.key) && !e.altKey && !e.ctrlKey && !e.metaKey && e.target instanceof Element && e.target.closest(selector)) {
      e.preventDefault();
    }
  });
}

// Scrolls the page, as little as needed, to bring an element into sight (no-op when it is in sight already).
export function bringIntoView(id) {
  document.getElementById(id)?.scrollIntoView({ block: "nearest" });
}
