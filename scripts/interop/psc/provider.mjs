// A real, OpenID-certified provider (npm oidc-provider 9) dressed as Pro Santé Connect, for the
// interop tests only (issue 15 §3): the sandbox's PSC relying party is tested against it.
//
// As PSC: issuer under /auth/realms/esante-wallet, discovery also at PSC's non-standard path
// (.well-known/wallet-openid-configuration), the authorize endpoint on another host name
// (localhost) than the issuer (127.0.0.1), a confidential client (client_secret_basic), PKCE,
// scopes `openid scope_all`, PSC's claims (SubjectNameID = "8" + RPPS, SubjectRefPro, …), `acr`
// eidas1, access tokens of 120 s, rotating refresh tokens, userinfo optionally signed (RS256), CIBA
// in poll mode. Nothing is real: the accounts below are test professionals, nothing is stored.
//
// Environment: PSC_STATE (folder: the `ready` file with KEY=VALUE lines goes there), PSC_PORT
// (0: a free one), PSC_CLIENT_ID, PSC_CLIENT_SECRET, PSC_REDIRECT_URIS (comma-separated; the client
// is "native", so a loopback URI matches on any port, RFC 8252 §7.3), PSC_USERINFO_SIGNED (1:
// userinfo as application/jwt), PSC_AUTHORIZE_HOST (default localhost; empty: same as issuer),
// PSC_CIBA_TTL (seconds a push waits for the phone, default 120).
//
// The browser's part (PSC's login page) is a plain form an HTTP client can post:
//   GET  {issuer}/interaction/{uid}         the page
//   POST {issuer}/interaction/{uid}         login=<account id or RPPS, optionally "<acr>:" first,
//                                           e.g. "eidas0:alice" for a too weak authentication;
//                                           "expired:alice": the card has expired, access_denied)
//                                           or refuse=1 (the user cancels: access_denied)
// The phone's part (e-CPS), test-only, outside the issuer:
//   GET  /test/ciba                         pending pushes [{id, account, rpps, binding_message, scope}]
//   POST /test/ciba/{id}/confirm            the user confirms (form acr=… to confirm with another acr)
//   POST /test/ciba/{id}/deny               the user refuses (access_denied)
//   POST /test/revoke/{rpps}                the next refresh of tokens issued so far is refused
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import Provider, { errors } from 'oidc-provider';

const PREFIX = '/auth/realms/esante-wallet';
const PSC_DISCOVERY = '/.well-known/wallet-openid-configuration';
const env = process.env;
const STATE = env.PSC_STATE || '.';
const CLIENT_ID = env.PSC_CLIENT_ID || 'monsisra-sandbox';
const CLIENT_SECRET = env.PSC_CLIENT_SECRET;
const REDIRECT_URIS = (env.PSC_REDIRECT_URIS || 'http://127.0.0.1/auth/psc/callback')
  .split(',').map((s) => s.trim()).filter(Boolean);
const USERINFO_SIGNED = env.PSC_USERINFO_SIGNED === '1';
const AUTHORIZE_HOST = env.PSC_AUTHORIZE_HOST ?? 'localhost';
const CIBA_TTL = Number(env.PSC_CIBA_TTL || 120);
const ACR_DEFAULT = 'eidas1';

if (!CLIENT_SECRET) {
  console.error('[psc] PSC_CLIENT_SECRET is required');
  process.exit(2);
}

// The test professionals. `sub` is opaque on purpose: a relying party must match on SubjectNameID.
const activity = (raisonSocialeSite, codePostalSite, communeSite, numeroFinessSite) => ({
  raisonSocialeSite, codePostalSite, communeSite, numeroFinessSite,
  identifiantStructure: `3${numeroFinessSite}`, codeModeExercice: 'L', codeSecteurActivite: 'SA07',
  codeSectionPharmacien: null, codeRole: 'FON-05', codeGenreActivite: 'GENR01',
});
const ACCOUNTS = {
  alice: {
    sub: 'f1d3c0a2-6b1e-4d55-9a0e-3c7e0b0a0011', rpps: '10000000011', civilite: 'DR',
    given: 'Alice', family: 'MARTIN', profession: '10', categorie: 'C',
    activities: [
      activity('Cabinet médical du Parc', '69003', 'Lyon 3e', '690000011'),
      activity('Centre de santé de la Croix-Rousse', '69004', 'Lyon 4e', '690000012'),
    ],
  },
  bob: {
    sub: '0b7e52d4-91c8-4f3a-8d0f-6a2e1f0b0012', rpps: '10000000012', civilite: 'DR',
    given: 'Bob', family: 'DURAND', profession: '10', categorie: 'C',
    activities: [activity('Maison de santé des Pentes', '69001', 'Lyon 1er', '690000021')],
  },
  // A real professional with no account on the regional server.
  inconnu: {
    sub: '9c41a7e0-2f6d-4b8e-b3a1-5d0c8e7f0099', rpps: '10000000099', civilite: 'M',
    given: 'Jean', family: 'INCONNU', profession: '60', categorie: 'C',
    activities: [activity('Cabinet infirmier des Brotteaux', '69006', 'Lyon 6e', '690000099')],
  },
};
const BY_SUB = new Map(Object.entries(ACCOUNTS).map(([key, a]) => [a.sub, { key, ...a }]));

function accountFor(hint) {
  const value = String(hint || '').trim();
  const rpps = /^8\d{11}$/.test(value) ? value.slice(1) : value;
  const found = Object.entries(ACCOUNTS).find(([key, a]) => key === value || a.rpps === rpps);
  return found ? found[1] : undefined;
}

function claimsOf(a) {
  return {
    sub: a.sub,
    SubjectNameID: `8${a.rpps}`,
    SubjectOrganization: a.activities[0].raisonSocialeSite,
    given_name: a.given,
    family_name: a.family,
    preferred_username: `8${a.rpps}`,
    SubjectRefPro: {
      codeCivilite: a.civilite,
      exercices: [{
        codeProfession: a.profession,
        codeCategorieProfessionnelle: a.categorie,
        codeCiviliteDexercice: a.civilite,
        nomDexercice: a.family,
        prenomDexercice: a.given,
        codeTypeSavoirFaire: '',
        codeSavoirFaire: '',
        activities: a.activities,
      }],
    },
  };
}

// POST /test/revoke/{rpps}: refresh tokens issued before this time are refused for that RPPS.
const revokedBefore = new Map();
// Pending e-CPS pushes, by PSC's auth_req_id (the phone's list).
const pending = new Map();

function signingKey() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomUUID(), alg: 'RS256', use: 'sig' };
}

const configuration = {
  clients: [{
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    application_type: 'native',
    redirect_uris: REDIRECT_URIS,
    post_logout_redirect_uris: REDIRECT_URIS,
    response_types: ['code'],
    grant_types: ['authorization_code', 'refresh_token', 'urn:openid:params:grant-type:ciba'],
    token_endpoint_auth_method: 'client_secret_basic',
    backchannel_token_delivery_mode: 'poll',
    ...(USERINFO_SIGNED ? { userinfo_signed_response_alg: 'RS256' } : {}),
  }],
  jwks: { keys: [signingKey()] },
  cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
  scopes: ['openid', 'scope_all'],
  claims: {
    openid: ['sub'],
    scope_all: ['SubjectNameID', 'SubjectRefPro', 'SubjectOrganization', 'given_name',
      'family_name', 'preferred_username'],
  },
  acrValues: ['eidas1', 'eidas2', 'eidas3'],
  // PSC puts its claims in the ID token too (the code flow would otherwise keep them to userinfo).
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  ttl: {
    AccessToken: 120,
    IdToken: 120,
    AuthorizationCode: 60,
    RefreshToken: 30 * 60,
    BackchannelAuthenticationRequest: CIBA_TTL,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
  // PSC gives a refresh token without offline_access, rotated at each use.
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: () => true,
  expiresWithSession: async () => false,
  async findAccount(ctx, id, token) {
    const a = BY_SUB.get(id);
    if (!a) return undefined;
    if (token?.kind === 'RefreshToken' && token.iat < (revokedBefore.get(a.rpps) ?? 0)) {
      return undefined; // PSC ended this session: the refresh is refused (invalid_grant)
    }
    return { accountId: a.sub, claims: async () => claimsOf(a) };
  },
  // PSC's (Keycloak's) endpoint paths.
  routes: {
    authorization: '/protocol/openid-connect/auth',
    token: '/protocol/openid-connect/token',
    userinfo: '/protocol/openid-connect/userinfo',
    jwks: '/protocol/openid-connect/certs',
    end_session: '/protocol/openid-connect/logout',
    revocation: '/protocol/openid-connect/revoke',
    backchannel_authentication: '/protocol/openid-connect/ext/ciba/auth',
  },
  interactions: { url: (ctx, interaction) => `${PREFIX}/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    userinfo: { enabled: true },
    jwtUserinfo: { enabled: true },
    revocation: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    ciba: {
      enabled: true,
      deliveryModes: ['poll'],
      processLoginHint: async (ctx, loginHint) => accountFor(loginHint)?.sub,
      validateRequestContext: async () => {},
      verifyUserCode: async () => {},
      triggerAuthenticationDevice: async (ctx, request, account) => {
        const a = BY_SUB.get(account.accountId);
        pending.set(request.jti, {
          id: request.jti, account: a.key, rpps: a.rpps,
          binding_message: request.params.binding_message ?? null, scope: request.scope,
        });
      },
    },
  },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = page('Erreur', `<p>${escape(out.error)}: ${escape(out.error_description || '')}</p>`);
  },
};

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escape(title)}</title>`
    + `</head><body><h1>${escape(title)}</h1><p><strong>Fournisseur OpenID de test (oidc-provider) — `
    + `pas Pro Santé Connect</strong></p>${body}</body></html>`;
}

async function grantFor(provider, accountId, clientId, scope, details = {}) {
  const grant = new provider.Grant({ accountId, clientId });
  grant.addOIDCScope(scope);
  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
  return grant.save();
}

// PSC's login page, reduced to a form: login and consent in one step.
async function interaction(provider, req, res) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(page('Connexion (test)', `<form method="post" action="${PREFIX}/interaction/${details.uid}">`
      + '<label>Identifiant ou RPPS <input name="login"></label>'
      + '<button type="submit">Se connecter</button>'
      + '<button type="submit" name="refuse" value="1">Annuler</button></form>'));
    return;
  }
  const form = new URLSearchParams(await body(req));
  if (form.get('refuse')) {
    await provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'End-User cancelled the authentication',
    }, { mergeWithLastSubmission: false });
    return;
  }
  const typed = form.get('login') || '';
  if (typed.startsWith('expired:')) {
    await provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'The CPS card has expired',
    }, { mergeWithLastSubmission: false });
    return;
  }
  const [acr, who] = typed.includes(':') ? typed.split(':', 2) : [ACR_DEFAULT, typed];
  const a = accountFor(who);
  if (!a) {
    res.statusCode = 400;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(page('Connexion (test)', '<p>Compte inconnu.</p>'));
    return;
  }
  const grantId = await grantFor(provider, a.sub, details.params.client_id, details.params.scope,
    details.prompt.details);
  await provider.interactionFinished(req, res, {
    login: { accountId: a.sub, acr, amr: ['mfa'], remember: false },
    consent: { grantId },
  }, { mergeWithLastSubmission: false });
}

// The phone (e-CPS) and the session end, for the tests.
async function testHook(provider, req, res, route) {
  const json = (status, value) => {
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(value));
  };
  if (req.method === 'GET' && route === '/test/ciba') {
    json(200, [...pending.values()]);
    return;
  }
  let m = route.match(/^\/test\/ciba\/([^/]+)\/(confirm|deny)$/);
  if (req.method === 'POST' && m) {
    const [, id, action] = m;
    const push = pending.get(id);
    const request = push && await provider.BackchannelAuthenticationRequest.find(id);
    if (!request) {
      json(404, { error: 'no such pending request' });
      return;
    }
    pending.delete(id);
    if (action === 'deny') {
      await provider.backchannelResult(request, new errors.AccessDenied('End-User refused the request'));
    } else {
      const form = new URLSearchParams(await body(req));
      const grantId = await grantFor(provider, request.accountId, request.clientId, request.scope);
      await provider.backchannelResult(request, grantId, {
        acr: form.get('acr') || ACR_DEFAULT, amr: ['mfa'], authTime: Math.floor(Date.now() / 1000),
      });
    }
    json(200, { id, done: action });
    return;
  }
  m = route.match(/^\/test\/revoke\/(\d{11})$/);
  if (req.method === 'POST' && m) {
    // iat is in seconds: tokens issued within this second count as issued before.
    revokedBefore.set(m[1], Math.floor(Date.now() / 1000) + 1);
    json(200, { rpps: m[1] });
    return;
  }
  json(404, { error: 'not found' });
}

function body(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const server = http.createServer();
server.listen(Number(env.PSC_PORT || 0), '127.0.0.1', () => {
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  const issuer = origin + PREFIX;
  const provider = new Provider(issuer, configuration);

  // The discovery document (also served at PSC's own path, below) names the authorize endpoint
  // on another host name than the issuer, as PSC's does.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/.well-known/openid-configuration' && ctx.status === 200 && AUTHORIZE_HOST) {
      const url = new URL(ctx.body.authorization_endpoint);
      url.hostname = AUTHORIZE_HOST;
      ctx.body = { ...ctx.body, authorization_endpoint: url.href };
    }
  });
  const callback = provider.callback();

  server.on('request', (req, res) => {
    const route = req.url.split('?')[0];
    const fail = (err) => {
      console.error('[psc]', err);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    };
    if (route.startsWith('/test/')) {
      testHook(provider, req, res, route).catch(fail);
    } else if (route.startsWith(`${PREFIX}/interaction/`)) {
      interaction(provider, req, res).catch(fail);
    } else if (route === PREFIX || route.startsWith(`${PREFIX}/`)) {
      if (route === PREFIX + PSC_DISCOVERY) {
        req.url = `${PREFIX}/.well-known/openid-configuration`;
      }
      req.originalUrl = req.url; // oidc-provider builds its URLs with the mount path
      req.url = req.url.slice(PREFIX.length) || '/';
      callback(req, res);
    } else {
      res.statusCode = 404;
      res.end();
    }
  });

  const lines = [
    `ISSUER=${issuer}`,
    `DISCOVERY_URL=${issuer}${PSC_DISCOVERY}`,
    `TEST_URL=${origin}/test`,
    `CLIENT_ID=${CLIENT_ID}`,
    `PORT=${port}`,
    `PID=${process.pid}`,
  ];
  const ready = path.join(STATE, 'ready');
  fs.writeFileSync(`${ready}.tmp`, `${lines.join('\n')}\n`);
  fs.renameSync(`${ready}.tmp`, ready);
  console.error(`[psc] ready: ${issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0)); // nothing to save: all state is in memory
}
