using Microsoft.JSInterop;

namespace PlanningPoker.Web.Client.Services;

/// <summary>This browser's storage and language, through <c>wwwroot/js/poker.js</c>.</summary>
public class BrowserStore(IJSRuntime js)
{
    /// <summary>A stored string, or null.</summary>
    public virtual ValueTask<string?> GetAsync(string key) => js.InvokeAsync<string?>("poker.get", key);

    /// <summary>Stores a string (nothing happens where storage is off).</summary>
    public virtual ValueTask SetAsync(string key, string value) => js.InvokeVoidAsync("poker.set", key, value);

    /// <summary>A string kept for this tab only (sessionStorage), or null: gone when the tab closes.</summary>
    public virtual ValueTask<string?> GetForTabAsync(string key) => js.InvokeAsync<string?>("poker.tabGet", key);

    /// <summary>Keeps a string for this tab only; null forgets it.</summary>
    public virtual ValueTask SetForTabAsync(string key, string? value) => js.InvokeVoidAsync("poker.tabSet", key, value);

    /// <summary>The language chosen in this browser, else the browser's own.</summary>
    public virtual ValueTask<string?> CultureAsync() => js.InvokeAsync<string?>("poker.culture");

    /// <summary>Remembers the language chosen.</summary>
    public virtual ValueTask SetCultureAsync(string name) => js.InvokeVoidAsync("poker.setCulture", name);

    /// <summary>Saves a file.</summary>
    public virtual ValueTask DownloadAsync(string fileName, string contentType, byte[] content) =>
        js.InvokeVoidAsync("poker.download", fileName, contentType, Convert.ToBase64String(content));

    /// <summary>Copies text to the clipboard; false when the browser refuses.</summary>
    public virtual ValueTask<bool> CopyAsync(string text) => js.InvokeAsync<bool>("poker.copy", text);

    /// <summary>Focuses a text field and selects its text.</summary>
    public virtual ValueTask SelectAsync(string id) => js.InvokeVoidAsync("poker.select", id);

    /// <summary>Removes the fragment (a facilitator key) from the address bar and the history entry.</summary>
    public virtual ValueTask DropFragmentAsync() => js.InvokeVoidAsync("poker.dropFragment");

    /// <summary>A short tone (the countdown's end, when the participant asked for sound).</summary>
    public virtual ValueTask BeepAsync() => js.InvokeVoidAsync("poker.beep");
}
