using BlazorMonaco.Editor;

namespace WebhookPortal.Components.Shared;

/// <summary>
/// BlazorMonaco's <see cref="StandaloneCodeEditor"/>, safe to remove while it is still starting: closing a dialog in the
/// moment Monaco creates its editor disposes the editor's .NET reference under the start-up call, and the
/// <see cref="ObjectDisposedException"/> that follows would end the whole circuit. A removed editor has nothing left to
/// start, so that exception is dropped.
/// </summary>
public sealed class GuardedCodeEditor : StandaloneCodeEditor
{
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        try
        {
            await base.OnAfterRenderAsync(firstRender);
        }
        catch (ObjectDisposedException)
        {
            // Removed while starting (see the class comment).
        }
    }
}
