// Monaco is shipped by the BlazorMonaco package (_content/BlazorMonaco/...). App.razor loads its small AMD loader; the
// editor itself (editor.main, about 3 MB) is required here, the first time a CodeEditor appears.
let loading;

/**
 * Loads Monaco once and answers { loaded, text, focused }: loaded is false when the loader is missing or the editor
 * cannot be loaded (the plain text box stays). When it loaded, the plain box inside `fallback` is made read-only and its
 * text and focus are reported, so what was typed in it up to that moment reaches the editor.
 */
export async function load(fallback) {
    if (!(window.monaco?.editor && window.blazorMonaco)) {
        if (typeof window.require !== 'function' || !window.blazorMonaco) {
            return { loaded: false, text: null, focused: false };
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
            return { loaded: false, text: null, focused: false };
        }
    }

    const box = fallback?.querySelector?.('textarea, input');
    if (!box) {
        return { loaded: true, text: null, focused: false };
    }

    box.readOnly = true;
    return { loaded: true, text: box.value, focused: document.activeElement === box };
}

/** Monaco's theme is global to the page: vs-dark under the portal's dark theme, vs otherwise. */
export function setTheme(dark) {
    window.monaco?.editor.setTheme(dark ? 'vs-dark' : 'vs');
}

/** Focuses the editor with the given id, with the cursor after its last character. */
export function focusAtEnd(id) {
    const editor = window.blazorMonaco?.editor.getEditor(id, true);
    const model = editor?.getModel();
    if (!model) {
        return;
    }

    const line = model.getLineCount();
    editor.setPosition({ lineNumber: line, column: model.getLineMaxColumn(line) });
    editor.focus();
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
