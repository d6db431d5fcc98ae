export const id = 584;
export const ids = [584];
export const modules = {

/***/ 6584:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createGitHubClient: () => (/* binding */ createGitHubClient)
/* harmony export */ });
/* unused harmony exports MAX_RETRIES, MAX_RATE_LIMIT_RETRIES, MAX_RATE_LIMIT_WAIT_SECONDS, shouldRetryAfterRateLimit */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3206);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9735);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6856);
// The GitHub REST client of the action: Octokit from @actions/github, with bounded retries of 5xx
// answers and dropped connections (plugin-retry) and bounded waits on rate limits (plugin-throttling).




/** Retries of a request that failed with a 5xx answer or a dropped connection, the first attempt not counted. */
const MAX_RETRIES = 3;
/** Times a request is repeated after a rate limit, the first attempt not counted. */
const MAX_RATE_LIMIT_RETRIES = 2;
/** The longest rate-limit wait, in seconds, worth sitting through: beyond it the issue is not opened. */
const MAX_RATE_LIMIT_WAIT_SECONDS = 60;
/** Whether a request GitHub rate-limited should be repeated after `retryAfterSeconds`. */
function shouldRetryAfterRateLimit(retryAfterSeconds, retryCount) {
    return retryCount < MAX_RATE_LIMIT_RETRIES && retryAfterSeconds <= MAX_RATE_LIMIT_WAIT_SECONDS;
}
function createGitHubClient(options) {
    const unit = options.retryDelayMs ?? 1000;
    const notify = options.onRateLimit ?? (() => { });
    const handler = (kind) => (retryAfter, request, _octokit, retryCount) => {
        const retrying = shouldRetryAfterRateLimit(retryAfter, retryCount);
        const what = `GitHub's ${kind} rate limit on ${request.method} ${request.url}: it asks to wait ${retryAfter} s`;
        notify(retrying
            ? `${what}; retrying then (retry ${retryCount + 1} of ${MAX_RATE_LIMIT_RETRIES}).`
            : retryCount >= MAX_RATE_LIMIT_RETRIES
                ? `${what}; not retrying again after ${retryCount} retries.`
                : `${what}, longer than the ${MAX_RATE_LIMIT_WAIT_SECONDS} s this action waits; not retrying.`);
        return retrying;
    };
    return (0,_actions_github__WEBPACK_IMPORTED_MODULE_1__/* .getOctokit */ .Q)(options.token, {
        // Always explicit: without it Octokit takes GITHUB_API_URL as the process had it when loaded.
        baseUrl: options.baseUrl.replace(/\/+$/, ''),
        userAgent: 'heroku-postgres-upgrade-action',
        retry: {
            retries: MAX_RETRIES,
            retryAfterBaseValue: unit,
            // Rate limits (403 and 429) are the throttling plugin's: it waits as long as GitHub asks, or gives up.
            doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
        },
        throttle: {
            // The plugin spaces writes (1 s, 3 s between issue creations) per id across the whole process;
            // a client of its own keeps one run's issue from waiting on another's.
            id: `heroku-postgres-upgrade-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomUUID)()}`,
            retryAfterBaseValue: unit,
            onRateLimit: handler('primary'),
            onSecondaryRateLimit: handler('secondary'),
        },
    }, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_2__/* .retry */ .L, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_3__/* .throttling */ .A);
}


/***/ })

};

//# sourceMappingURL=584.index.js.map