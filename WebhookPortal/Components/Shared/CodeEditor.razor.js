// Monaco is shipped by the BlazorMonaco package (_content/BlazorMonaco/...). App.razor loads its small AMD loader; the
// editor itself (editor.main, about 3 MB) is required here, the first time a CodeEditor appears.
let loading;

/** Loads Monaco once; resolves false when the loader is missing or the editor cannot be loaded (the plain text box stays). */
export function load() {
    if (window.monaco?.editor && window.blazorMonaco) {
        return Promise.resolve(true);
    }

    if (typeof window.require !== 'function' || !window.blazorMonaco) {
        return Promise.resolve(false);
    }

    loading ??= new Promise(resolve => {
        window.require(['vs/editor/editor.main'], () => {
            // A bare {{$$.Enabled$$}} is not JSON, so Monaco's own JSON check would mark valid templates; the portal's
            // template validator sets the markers instead (setMarkers).
            monaco.languages.json?.jsonDefaults.setDiagnosticsOptions({ validate: false, enableSchemaRequest: false });
            resolve(true);
        }, () => resolve(false));
    });
    return loading;
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
