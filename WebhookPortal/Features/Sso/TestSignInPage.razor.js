// Test sign-in: a real authorization code flow with PKCE against the portal, run by oidc-client-ts in a pop-up window, as
// a docked system's browser code would. Everything stays in this page's memory (state, verifier, tokens: in-memory
// stores); the client secret is read from its field at the click and sent only to the portal's own token endpoint.

const library = 'lib/oidc-client-ts/oidc-client-ts.min.js';
let loading;

function load() {
    if (window.oidc) {
        return Promise.resolve(window.oidc);
    }

    loading ??= new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = new URL(library, document.baseURI).href;
        script.onload = () => resolve(window.oidc);
        script.onerror = () => reject(new Error('Could not load ' + library));
        document.head.appendChild(script);
    });
    return loading;
}

// In the pop-up, back from the authorization endpoint: hands the answer to the page that opened it, which redeems the
// code. False when this window has no opener (the URL was opened on its own).
export async function completeInPopup() {
    if (!window.opener) {
        return false;
    }

    const oidc = await load();
    const here = location.origin + location.pathname;
    await new oidc.UserManager({ authority: location.origin, client_id: 'test-sign-in', redirect_uri: here }).signinPopupCallback(location.href);
    return true;
}

// Wires the buttons inside root (data-sign-in="normal" or "login"): the pop-up must open within the click itself, or
// browsers block it, so the click is handled here rather than through the circuit. page gets Started() and
// Finished(result).
export async function attach(root, page, settings) {
    await load();
    root.addEventListener('click', async event => {
        const button = event.target.closest('[data-sign-in]');
        if (!button || !root.contains(button) || button.disabled) {
            return;
        }

        const field = root.querySelector('input[data-client-secret]');
        if (field && !field.value) {
            await page.invokeMethodAsync('Finished', { error: 'client_secret_missing', errorDescription: settings.secretMissing });
            field.focus();
            return;
        }

        let result;
        try {
            const signIn = run(settings, field ? field.value : null, button.dataset.signIn === 'login');
            page.invokeMethodAsync('Started');
            result = await signIn;
        } catch (error) {
            result = { error: error.error ?? error.name ?? 'error', errorDescription: error.error_description ?? error.message };
        }

        await page.invokeMethodAsync('Finished', result);
    });
}

async function run(settings, secret, login) {
    const oidc = window.oidc;
    const memory = () => new oidc.WebStorageStateStore({ store: new oidc.InMemoryWebStorage() });
    const manager = new oidc.UserManager({
        authority: settings.authority,
        client_id: settings.clientId,
        client_secret: secret ?? undefined,
        redirect_uri: settings.redirectUri,
        popup_redirect_uri: settings.redirectUri,
        response_type: 'code',
        scope: settings.scope,
        loadUserInfo: false,
        automaticSilentRenew: false,
        monitorSession: false,
        // No cookies with the token request: the portal answers a wrong secret with 401 and WWW-Authenticate: Basic, which
        // makes a browser prompt for a user name and password on requests that carry credentials.
        fetchRequestCredentials: 'omit',
        stateStore: memory(),
        userStore: memory(),
    });
    const request = { popupWindowFeatures: { width: 520, height: 720 } };
    if (login) {
        request.prompt = 'login';
    }

    const user = await manager.signinPopup(request);
    const metadata = await manager.metadataService.getMetadata();
    const answer = await fetch(metadata.userinfo_endpoint, { headers: { Authorization: 'Bearer ' + user.access_token } });
    return {
        idTokenClaims: JSON.stringify(payload(user.id_token)),
        userInfo: await answer.text(),
        userInfoStatus: answer.status,
    };
}

function payload(jwt) {
    const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(part + '='.repeat((4 - part.length % 4) % 4));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, c => c.charCodeAt(0))));
}

// Copies text; false where the browser refuses (no clipboard outside a secure context), so the page can say so.
export async function copy(text) {
    try {
        await navigator.clipboard.writeText(text);
        return true;
    } catch {
        return false;
    }
}
