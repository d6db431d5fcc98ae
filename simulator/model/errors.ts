/** An error the HTTP layer turns into `{id, message, ...extra}` with the given status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

export const notFound = (message: string, resource?: string): ApiError =>
  new ApiError(404, 'not_found', message, resource ? { resource } : {})

export const appNotFound = (): ApiError => notFound("Couldn't find that app.", 'app')
export const addonNotFound = (): ApiError => notFound("Couldn't find that add on.", 'add_on')
export const attachmentNotFound = (): ApiError =>
  notFound("Couldn't find that add on attachment.", 'add_on attachment')
export const unprocessable = (message: string, id = 'unprocessable_entity'): ApiError =>
  new ApiError(422, id, message)
export const badRequest = (message: string): ApiError => new ApiError(400, 'bad_request', message)
