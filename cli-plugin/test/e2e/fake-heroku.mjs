// A stand-in for Heroku's Platform API, for the plugin's end-to-end test: the two endpoints the
// plugin calls, for one app, answering only the user's token (as Heroku does).
// Usage: node fake-heroku.mjs PORT APP TOKEN CONFIG_VARS_JSON
import {createServer} from 'node:http'

const [port, app, token, configVarsJson] = process.argv.slice(2)
const configVars = JSON.parse(configVarsJson)

createServer((request, response) => {
  const send = (status, body) => {
    response.writeHead(status, {'Content-Type': 'application/json'})
    response.end(JSON.stringify(body))
  }
  if (request.headers.authorization !== `Bearer ${token}`) return send(401, {id: 'unauthorized', message: 'Invalid credentials provided.'})
  if (request.method === 'GET' && request.url === `/apps/${app}/config-vars`) return send(200, configVars)
  if (request.method === 'GET' && request.url === `/apps/${app}/addons`) {
    return send(200, [{addon_service: {name: 'autobus'}, web_url: `https://addons-sso.heroku.com/apps/${app}/addons/autobus`}])
  }
  return send(404, {id: 'not_found', message: `Couldn't find that app.`})
}).listen(Number(port), '127.0.0.1', () => console.log(`fake Heroku API on ${port}`))
