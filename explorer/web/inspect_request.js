// inspect_request.js: how the /training player asks for the inspect section (a fragment
// of its own) to run again; inspect_sync.js forwards the request to the server.

export const INSPECT_REQUEST = "softmax-explorer:inspect";

/** Ask for the inspect section with ``name`` = ``value`` ("trajectory" or "at"). */
export function requestInspect(name, value) {
  window.dispatchEvent(new CustomEvent(INSPECT_REQUEST, { detail: { name, value } }));
}
