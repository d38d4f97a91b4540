namespace WebhookPortal.Components.Shared;

/// <summary>An error to underline in a <see cref="CodeEditor"/>, at a 1-based line and column.</summary>
/// <param name="EndColumn">Column after the marked text; 0 marks to the end of the line.</param>
public sealed record EditorMarker(int Line, int Column, string Message, int EndColumn = 0);
