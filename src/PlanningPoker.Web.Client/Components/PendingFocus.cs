using Microsoft.JSInterop;

namespace PlanningPoker.Web.Client.Components;

/// <summary>
/// Where focus goes once the next render is on screen, asked for once: an action names the element (the button
/// pressed may be gone by then, and focus would drop to the page), and the component calls <see cref="ApplyAsync"/>
/// from its <c>OnAfterRenderAsync</c>. Used by People, LeaveRoom, Backlog and Home; RoomPage's own focus waits for a
/// room state instead (<c>FocusOnce</c>).
/// </summary>
internal sealed class PendingFocus(IJSRuntime js)
{
    private string? _id;

    /// <summary>Focuses the element with this id after the next render; a later request replaces it.</summary>
    public void Request(string id) => _id = id;

    /// <summary>Forgets the request.</summary>
    public void Cancel() => _id = null;

    /// <summary>Moves focus if asked (<c>poker.focus</c> in wwwroot/js/poker.js), then forgets the request.</summary>
    public async Task ApplyAsync()
    {
        if (_id is { } id)
        {
            _id = null;
            await js.InvokeVoidAsync("poker.focus", id);
        }
    }
}
