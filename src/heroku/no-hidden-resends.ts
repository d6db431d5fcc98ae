// heroku-client re-sends a request by itself after a dropped connection and after its own socket timeout
// (it aborts the socket, and the abort error is treated like a dropped connection). For a POST that
// Heroku already carried out, that re-send makes a second follower or a second upgrade. Every retry must
// be the action's own decision, taken after it looked at what the first attempt did, so the client's
// error handler is replaced by one that only reports the error.
import HerokuRequest from 'heroku-client/lib/request.js'

let installed = false

export function disableHiddenResends(): void {
  if (installed) return
  HerokuRequest.prototype.handleError = function reportOnly(this: HerokuRequest, error: Error): void {
    this.reject(error)
  }
  installed = true
}
