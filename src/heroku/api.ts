// The two Heroku APIs a run calls, passed together: the Platform API and the data API.
import type { DataApi } from './data-api'
import type { PlatformApi } from './platform-api'

export interface HerokuApis {
  platform: PlatformApi
  data: DataApi
}
