// Monaco is shipped by the BlazorMonaco package (_content/BlazorMonaco/...). App.razor loads its small AMD loader; the
// editor itself (editor.main, about 3 MB) is required here, the first time a CodeEditor appears.
let loading;

/**
 * Loads Monaco once and answers { loaded, text }: loaded is false when the loader is missing or the editor
 * cannot be loaded (the plain text box stays). When it loaded, it waits until the plain box inside `fallback` is not
 * being typed in (not focused), then makes it read-only and reports its text, so everything typed in it reaches the
 * editor.
 */
export async function load(fallback) {
    if (!(window.monaco?.editor && window.blazorMonaco)) {
        if (typeof window.require !== 'function' || !window.blazorMonaco) {
            return { loaded: false, text: null };
        }

        loading ??= new Promise(resolve => {
            window.require(['vs/editor/editor.main'], () => {
                // A bare {{$$.Enabled$$}} is not JSON, so Monaco's own JSON check would mark valid templates; the portal's
                // template validator sets the markers instead (setMarkers).
                monaco.languages.json?.jsonDefaults.setDiagnosticsOptions({ validate: false, enableSchemaRequest: false });
                resolve(true);
            }, () => resolve(false));
        });
        if (!await loading) {
            return { loaded: false, text: null };
        }
    }

    const box = fallback?.querySelector?.('textarea, input');
    if (!box) {
        return { loaded: true, text: null };
    }

    // Someone typing in the box keeps it until they leave it: swapping it for the editor under their fingers would
    // drop the keystrokes made while the editor is being created.
    if (document.activeElement === box) {
        await new Promise(resolve => box.addEventListener('blur', resolve, { once: true }));
    }

    box.readOnly = true;
    return { loaded: true, text: box.value };
}

/** Monaco's theme is global to the page: vs-dark under the portal's dark theme, vs otherwise. */
export function setTheme(dark) {
    window.monaco?.editor.setTheme(dark ? 'vs-dark' : 'vs');
}

/** Replaces the error markers (squiggles, and the messages on hover) of the editor with the given id. */
export function setMarkers(id, markers) {
    const editor = window.blazorMonaco?.editor.getEditor(id, true);
    const model = editor?.getModel();
    if (!model) {
        return;
    }

    monaco.editor.setModelMarkers(model, 'webhook-template', markers.map(m => {
        const line = Math.min(Math.max(m.line, 1), model.getLineCount());
        const endColumn = m.endColumn > m.column ? m.endColumn : model.getLineMaxColumn(line);
        return {
            startLineNumber: line, startColumn: Math.max(m.column, 1), endLineNumber: line, endColumn,
            message: m.message, severity: monaco.MarkerSeverity.Error,
        };
    }));
}
