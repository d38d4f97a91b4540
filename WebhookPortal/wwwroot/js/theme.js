// The static account pages follow the theme chosen with the portal's toggle (the portal-theme cookie, read by the server).
// Until one is chosen they follow the system's light or dark preference; this runs in <head>, before the page is painted.
(function () {
    if (/(?:^|;\s*)portal-theme=(?:dark|light)(?:;|$)/.test(document.cookie) || !window.matchMedia) {
        return;
    }
    const query = window.matchMedia("(prefers-color-scheme: dark)");
    const apply = () => document.documentElement.setAttribute("data-bs-theme", query.matches ? "dark" : "light");
    apply();
    query.addEventListener?.("change", apply);
})();
