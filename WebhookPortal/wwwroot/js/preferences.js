// Browser preferences the server reads from cookies when a page loads: a Blazor Server circuit cannot ask the browser
// before its first render, and the static account pages (the first page anyone sees) have no circuit at all.
(function () {
    const year = 60 * 60 * 24 * 365;
    const set = (name, value) => {
        document.cookie = `${name}=${encodeURIComponent(value)};path=/;max-age=${year};samesite=lax`;
    };
    try {
        set("portal-tz", Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
    } catch {
        // Without Intl the portal keeps showing UTC.
    }
    window.portalPreferences = {
        setTheme: dark => set("portal-theme", dark ? "dark" : "light"),
    };
})();
