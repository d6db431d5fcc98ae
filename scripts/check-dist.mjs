// Fails when dist/ differs from a fresh build of src/ (the build empties dist/ first, so a chunk ncc no longer
// emits shows as deleted): the committed bundle is what runners execute.
import { execFileSync } from 'node:child_process'

execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' })
const changed = execFileSync('git', ['status', '--porcelain', '--', 'dist'], { encoding: 'utf8' }).trim()
if (changed) {
  console.error('dist/ is stale: run `npm run build` and commit the result.\n' + changed)
  process.exit(1)
}
console.log('dist/ matches a fresh build of src/')
