import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import nock from 'nock'
import {chmodSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'
import {allCalled, autobus, fakeNetwork, heroku, KEY, SNAPSHOT} from '../helpers.js'

const AUTOBUS_URL = `https://addon:${KEY}@autobus.example.com/`
const PASSWORD = 'p@ss w0rd-s3cret'
const DUMP = Buffer.from('PGDMP pretend archive')

/**
 * A stand-in for a database tool, first on PATH: it records its command line as `ps` sees it
 * (/proc/<pid>/cmdline), the passwords in its environment and its input, writes FAKE_STDERR to
 * stderr and exits with FAKE_EXIT.
 */
function fakeTool(bin, name) {
  const file = join(bin, name)
  writeFileSync(file, `#!/bin/sh
if [ -r /proc/$$/cmdline ]; then tr '\\0' '\\n' < /proc/$$/cmdline; else printf '%s\\n' "$0" "$@"; fi > "${bin}/${name}.argv"
printf '%s' "\${PGPASSWORD-unset} \${MYSQL_PWD-unset}" > "${bin}/${name}.env"
cat > "${bin}/${name}.stdin"
printf '%b' "\${FAKE_STDERR-}" >&2
exit \${FAKE_EXIT:-0}
`)
  chmodSync(file, 0o755)
  return {
    argv: () => readFileSync(`${file}.argv`, 'utf8'),
    env: () => readFileSync(`${file}.env`, 'utf8'),
    stdin: () => readFileSync(`${file}.stdin`),
  }
}

/** Autobus with the snapshot, Heroku with the app's config vars (read twice: add-on key, then the target). */
function serve(snapshot, databaseUrl, body = DUMP) {
  const configVars = {AUTOBUS_URL, DATABASE_URL: databaseUrl}
  heroku(configVars)
  heroku(configVars)
  autobus().get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, {...SNAPSHOT, download_url: 'https://files.example.com/r?sig=x', ...snapshot})
  nock('https://files.example.com').get('/r?sig=x').reply(200, body)
}

const restore = () => runCommand(['autobus:restore', SNAPSHOT.id, '-a', 'sushi', '--confirm', 'sushi'])

describe('heroku autobus:restore', () => {
  fakeNetwork()
  const path = process.env.PATH
  let bin
  let pgRestore
  let mysql
  beforeEach(() => {
    bin = mkdtempSync(join(tmpdir(), 'autobus-tools-'))
    pgRestore = fakeTool(bin, 'pg_restore')
    mysql = fakeTool(bin, 'mysql')
    process.env.PATH = `${bin}:${path}`
  })
  afterEach(() => {
    process.env.PATH = path
    delete process.env.FAKE_EXIT
    delete process.env.FAKE_STDERR
  })

  it('gives pg_restore the password in PGPASSWORD, never on its command line', async () => {
    serve({}, `postgres://u1:${encodeURIComponent(PASSWORD)}@db.example.com:5432/d1?sslmode=require`)

    const {stdout, error} = await restore()

    expect(error).to.equal(undefined)
    const argv = pgRestore.argv()
    expect(argv).to.contain('--dbname\npostgres://u1@db.example.com:5432/d1?sslmode=require\n')
    expect(argv).to.not.contain('s3cret').and.to.not.contain(encodeURIComponent(PASSWORD))
    expect(pgRestore.env()).to.equal(`${PASSWORD} unset`)
    expect(pgRestore.stdin().equals(DUMP)).to.equal(true)
    expect(stdout).to.contain(`Restored snapshot ${SNAPSHOT.id} into DATABASE_URL of sushi.`)
    allCalled()
  })

  it('moves a password given as a URL parameter into PGPASSWORD as well', async () => {
    serve({}, 'postgresql://u1@db.example.com/d1?password=s3cret&sslmode=require')

    const {error} = await restore()

    expect(error).to.equal(undefined)
    expect(pgRestore.argv()).to.contain('postgresql://u1@db.example.com/d1?sslmode=require').and.to.not.contain('s3cret')
    expect(pgRestore.env()).to.equal('s3cret unset')
  })

  it('gives mysql the password in MYSQL_PWD, never on its command line, and the unzipped dump on its input', async () => {
    const sql = 'INSERT INTO orders VALUES (1);\n'
    serve({engine: 'mysql', file_name: `JAWSDB_${SNAPSHOT.id}.sql.gz`}, `mysql://u1:${encodeURIComponent(PASSWORD)}@db.example.com:3307/heroku_1?reconnect=true`,
      gzipSync(sql))

    const {error} = await restore()

    expect(error).to.equal(undefined)
    expect(mysql.argv()).to.contain('-h\ndb.example.com\n-P\n3307\n-u\nu1\n--database=heroku_1').and.to.not.contain('s3cret')
    expect(mysql.env()).to.equal(`unset ${PASSWORD}`)
    expect(mysql.stdin().toString()).to.equal(sql)
  })

  it('reports the download and pg_restore failing, not only the last process', async () => {
    const server = createServer((request, response) => {
      response.writeHead(200, {'Content-Length': '100000'})
      response.write('PGDMP'.repeat(100), () => setTimeout(() => response.destroy(), 20))
    })
    await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
    nock.enableNetConnect('127.0.0.1')
    serve({download_url: `http://127.0.0.1:${server.address().port}/r`}, `postgres://u1:${PASSWORD}@db.example.com/d1`)
    process.env.FAKE_EXIT = '1'
    process.env.FAKE_STDERR = 'pg_restore: error: could not read from input file: end of file\\n'

    try {
      const {error} = await restore()

      expect(error.message).to.contain('The restore failed')
      expect(error.message).to.match(/download: terminated/)
      expect(error.message).to.contain('pg_restore: failed (exit 1): pg_restore: error: could not read from input file: end of file')
    } finally {
      server.close()
    }
  })

  it('reports gzip and mysql failing together', async () => {
    serve({engine: 'mariadb'}, `mysql://u1:${PASSWORD}@db.example.com/heroku_1`, 'not gzip at all')
    process.env.FAKE_EXIT = '1'
    process.env.FAKE_STDERR = 'ERROR 1064 (42000) at line 1: You have an error in your SQL syntax\\n'

    const {error} = await restore()

    expect(error.message).to.contain('gzip: failed (exit 1)').and.to.contain('not in gzip format')
    expect(error.message).to.contain('mysql: failed (exit 1): ERROR 1064 (42000)')
  })

  it('says to install the client tools when pg_restore is missing, without blaming the download', async () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), 'autobus-empty-'))
    serve({}, `postgres://u1:${PASSWORD}@db.example.com/d1`)

    const {error} = await restore()

    expect(error.message).to.contain('pg_restore: could not be started').and.to.contain('install the database\'s client tools')
    expect(error.message).to.not.contain('download:')
  })

  it('refuses to feed a PostgreSQL dump to a MySQL database', async () => {
    serve({}, `mysql://u1:${PASSWORD}@db.example.com/heroku_1`)
    nock.removeInterceptor({hostname: 'files.example.com', path: '/r?sig=x'})

    const {error} = await restore()

    expect(error.message).to.contain('holds a PostgreSQL dump, and DATABASE_URL is not a PostgreSQL database')
  })
})
