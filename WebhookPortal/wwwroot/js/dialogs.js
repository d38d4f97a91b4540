// Enter in a one-line field of a dialog presses the dialog's default button (the one marked data-dialog-submit), as it
// would in a native form; Esc presses its Cancel (below). One listener for every dialog, because Blazor's
// keydown handlers cannot tell a one-line field from a multi-line one or the code editor, and fire before the field's
// value is bound.
(function () {
    const oneLine = 'input:not([type=checkbox]):not([type=radio]):not([type=button]):not([type=submit]):not([readonly])';
    document.addEventListener('keydown', e => {
        // isComposing / 229: the Enter that confirms a Chinese IME candidate belongs to the IME, not to the dialog.
        if (e.key !== 'Enter' || e.isComposing || e.keyCode === 229 || e.defaultPrevented || e.shiftKey || e.ctrlKey || e.altKey) {
            return;
        }

        const field = e.target;
        if (!(field instanceof HTMLInputElement) || !field.matches(oneLine)) {
            return;
        }

        const button = field.closest('.mud-dialog')?.querySelector('[data-dialog-submit]');
        if (!button || button.disabled) {
            return;
        }

        e.preventDefault();
        // Fields bound on change have not sent the typed text yet; Blazor handles events in order, so the value arrives
        // before the click.
        field.dispatchEvent(new Event('change', { bubbles: true }));
        button.click();
    });

    // A dialog takes the keyboard the moment it is in the page. MudBlazor focuses an AutoFocus field, and starts handling
    // Esc, only from the dialog's first OnAfterRenderAsync, a round trip to the server after the dialog appears (seconds
    // on a busy server), and then its focus trap (DefaultFocus.Element) took the focus from the field again: what people
    // typed, or their Esc, was lost. So our dialogs say DefaultFocus.None, mark their first field data-autofocus (focused
    // here as the dialog is added, before the next key event) and their Cancel button data-dialog-cancel (pressed here on
    // Esc, so it works before MudBlazor's key handler is attached; stopping the event keeps MudBlazor from cancelling twice).
    new MutationObserver(records => {
        for (const record of records) {
            for (const node of record.addedNodes) {
                if (!(node instanceof Element)) continue;
                const field = node.matches('.mud-dialog [data-autofocus]') ? node : node.querySelector('.mud-dialog [data-autofocus]');
                if (field && !field.closest('.mud-dialog').contains(document.activeElement)) {
                    field.focus();
                }
            }
        }
    }).observe(document.documentElement, { childList: true, subtree: true });

    document.addEventListener('keydown', e => {
        if (e.key !== 'Escape' || e.isComposing || e.defaultPrevented || !(e.target instanceof Element)) {
            return;
        }

        // The code editor keeps its own Esc (closing its suggestions) and passes on the rest as before; an open select
        // list or menu takes the Esc for itself, rather than losing the whole dialog with what was typed. A confirmation
        // (MudBlazor's message box) opens with the focus still where it was, on the page or in the dialog beneath: Esc
        // goes to the topmost dialog, the last in the page.
        const dialogs = document.querySelectorAll('.mud-dialog');
        const dialog = dialogs[dialogs.length - 1];
        const cancel = dialog?.querySelector('[data-dialog-cancel], .mud-message-box__cancel-button');
        if (!cancel || e.target.closest('.monaco-editor') || document.querySelector('.mud-popover-open .mud-list')) {
            return;
        }

        e.preventDefault();
        e.stopPropagation();
        // As for Enter: a field bound on change sends what was typed first, so Cancel knows the form changed and asks.
        const field = document.activeElement;
        if ((field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) && dialog.contains(field)) {
            field.dispatchEvent(new Event('change', { bubbles: true }));
        }

        cancel.click();
    }, true);

    // Leaving the page (Reload, closing the tab, another site) with a form dialog holding unsaved input: the browser asks.
    // Blazor's NavigationLock asks too once the server knows of the change (UnsavedChangesGuard); this also covers text
    // typed into a field that has not sent it yet (bound on change, still focused).
    document.addEventListener('input', e => {
        const dialog = e.target instanceof Element ? e.target.closest('.mud-dialog') : null;
        if (dialog?.querySelector('[data-dialog-guard]')) {
            dialog.dataset.dialogTyped = 'true';
        }
    }, true);

    window.addEventListener('beforeunload', e => {
        for (const guard of document.querySelectorAll('.mud-dialog [data-dialog-guard]')) {
            if (guard.dataset.dialogGuard === 'changed' || guard.closest('.mud-dialog').dataset.dialogTyped) {
                e.preventDefault();
                e.returnValue = '';
                return;
            }
        }
    });
})();

// A refused OK in a dialog taller than the window: the first field in error may be scrolled out of sight (the message
// body sits below the fold of Create Webhook), so bring it to the middle of the dialog's scroll area.
window.portalDialogs = {
    revealFirstError() {
        const dialogs = document.querySelectorAll('.mud-dialog');
        const dialog = dialogs[dialogs.length - 1];
        const first = dialog?.querySelector('.save-error, .mud-input-control.mud-input-error, .code-editor-invalid, .submit-summary');
        first?.scrollIntoView({ block: 'center', behavior: 'instant' });
    }
};
