import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import nock from 'nock'
import {execFileSync} from 'node:child_process'
import {chmodSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'
import {allCalled, autobus, fakeNetwork, frames, heroku, KEY, runIn, SNAPSHOT, unwrapped} from '../helpers.js'

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

const restore = () => runCommand(['autobus:restore', SNAPSHOT.id, '-a', 'sushi', '--confirm', 'sushi', '--local'])

describe('heroku autobus:restore --local', () => {
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

  describe('a snapshot encrypted with the customer\'s own key', () => {
    let identity
    let recipient
    const ENCRYPTED = {file_name: `DATABASE_${SNAPSHOT.id}.dump.age`,
      restore_command: `age -d -i key.txt DATABASE_${SNAPSHOT.id}.dump.age | pg_restore --verbose --clean --if-exists --no-acl --no-owner -h host -U myuser -d mydb`}
    beforeEach(() => {
      const keys = mkdtempSync(join(tmpdir(), 'autobus-age-'))
      identity = join(keys, 'key.txt')
      execFileSync('age-keygen', ['-o', identity], {stdio: 'ignore'})
      recipient = execFileSync('age-keygen', ['-y', identity]).toString().trim()
    })
    const encrypt = (plain) => execFileSync('age', ['-r', recipient], {input: plain})

    it('is decrypted here with --identity (the real age) on its way to pg_restore', async () => {
      serve({...ENCRYPTED, encrypted_to: recipient}, `postgres://u1:${PASSWORD}@db.example.com/d1`, encrypt(DUMP))

      const {stdout, error} = await runCommand(['autobus:restore', SNAPSHOT.id, '-a', 'sushi', '--confirm', 'sushi', '--local', '--identity', identity])

      expect(error).to.equal(undefined)
      expect(pgRestore.stdin().equals(DUMP)).to.equal(true)
      expect(stdout).to.contain(`Restored snapshot ${SNAPSHOT.id} into DATABASE_URL of sushi.`)
    })

    it('is decrypted, then unzipped, on its way to mysql', async () => {
      const sql = 'INSERT INTO orders VALUES (1);\n'
      serve({engine: 'mysql', file_name: `JAWSDB_${SNAPSHOT.id}.sql.gz.age`, encrypted_to: recipient},
        `mysql://u1:${PASSWORD}@db.example.com/heroku_1`, encrypt(gzipSync(sql)))

      const {error} = await runCommand(['autobus:restore', SNAPSHOT.id, '-a', 'sushi', '--confirm', 'sushi', '--local', '--identity', identity])

      expect(error).to.equal(undefined)
      expect(mysql.stdin().toString()).to.equal(sql)
    })

    it('with another identity fails naming age, and pg_restore gets nothing', async () => {
      serve({...ENCRYPTED, encrypted_to: recipient}, `postgres://u1:${PASSWORD}@db.example.com/d1`, encrypt(DUMP))
      const other = join(mkdtempSync(join(tmpdir(), 'autobus-age-')), 'other.txt')
      execFileSync('age-keygen', ['-o', other], {stdio: 'ignore'})

      const {error} = await runCommand(['autobus:restore', SNAPSHOT.id, '-a', 'sushi', '--confirm', 'sushi', '--local', '--identity', other])

      expect(error.message).to.contain('The restore failed').and.to.contain('age: failed (exit 1)')
      expect(pgRestore.stdin().length).to.equal(0)
    })

    it('says it needs --identity with --local, and that Autobus cannot restore it without --local', async () => {
      heroku()
      autobus().get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, {...SNAPSHOT, ...ENCRYPTED, encrypted_to: recipient, download_url: 'https://files.example.com/r'})
      const local = await restore()
      heroku()
      autobus().get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, {...SNAPSHOT, ...ENCRYPTED, encrypted_to: recipient, download_url: 'https://files.example.com/r'})
      const byAutobus = await runCommand(['autobus:restore', SNAPSHOT.id, '-a', 'sushi', '--confirm', 'sushi'])

      expect(local.error.message).to.contain('is encrypted with your own key').and.to.contain('Add --identity key.txt')
        .and.to.contain(ENCRYPTED.restore_command)
      expect(byAutobus.error.message).to.contain('Autobus cannot read it, so it cannot restore it')
        .and.to.contain('--local --identity key.txt').and.to.contain(ENCRYPTED.restore_command)
      allCalled()
    })
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

describe('heroku autobus:restore (Autobus restores)', () => {
  fakeNetwork()
  const SAFETY = '660cc45669702d21bd430001'
  const WITH_URL = {...SNAPSHOT, download_url: 'https://files.example.com/r?sig=x'}
  const RUN = {
    restore_id: 'r1', snapshot_id: SNAPSHOT.id, target: 'DATABASE_URL', mode: 'whole', status: 'pending', progress: null,
    tables: [], error: null, safety_snapshot_id: null, restored_into: null, created_at: '2015-03-21T10:00:00.000Z', finished_at: null,
  }
  const RUNNING_40 = {...RUN, status: 'running', safety_snapshot_id: SAFETY,
    progress: {bytes: 4000000, percent: 40, eta_seconds: 90, table: 'public.orders'},
    tables: [{name: 'public.orders', rows: 100, expected_rows: 321}, {name: 'public.customers', rows: 0, expected_rows: 12}]}
  const COMPLETED = {...RUN, status: 'completed', safety_snapshot_id: SAFETY, finished_at: '2015-03-21T10:02:00.000Z',
    tables: [{name: 'public.orders', rows: 321, expected_rows: 321}, {name: 'public.customers', rows: 12, expected_rows: 12}]}

  /** Autobus restoring the newest snapshot whole into its own database: pending, 40%, completed. */
  function wholeRestore() {
    heroku()
    autobus()
      .get('/api/snapshots?status=completed&limit=1').reply(200, [SNAPSHOT])
      .get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, WITH_URL)
      .post(`/api/snapshots/${SNAPSHOT.id}/restores`, {target: 'DATABASE_URL', confirm: 'sushi', snapshot_first: true})
      .reply(202, {restore_id: 'r1', message: 'Restore started'})
      .get('/api/restores/r1').reply(200, RUN)
      .get('/api/restores/r1').reply(200, RUNNING_40)
      .get('/api/restores/r1').reply(200, COMPLETED)
  }

  const WHOLE_REPORT = [
    `Restored the whole of snapshot ${SNAPSHOT.id} into DATABASE_URL of sushi.`,
    `Safety snapshot: ${SAFETY} (DATABASE_URL as it was before)`,
    '',
    'Table             Rows  Expected',
    '────────────────  ────  ────────',
    'public.orders     321   321',
    'public.customers  12    12',
    '',
  ].join('\n')

  it('restores the newest snapshot whole, a line each time it moved, then each table\'s rows and the safety snapshot', async () => {
    wholeRestore()

    const {stdout, stderr, error} = await runIn(false, ['autobus:restore', '-a', 'sushi', '--confirm', 'sushi', '--interval', '0'])

    expect(error).to.equal(undefined)
    expect(unwrapped(stderr)).to.contain(`This overwrites DATABASE_URL of sushi with snapshot ${SNAPSHOT.id} (Daily, 2015-03-20T05:47:03.592Z). `
      + 'Data written since is lost. Autobus takes a snapshot of it first, to go back to.')
    expect(stderr).to.contain([
      `Restoring snapshot ${SNAPSHOT.id} into DATABASE_URL of sushi...`,
      `Restoring snapshot ${SNAPSHOT.id} into DATABASE_URL of sushi: pending`,
      `Restoring snapshot ${SNAPSHOT.id} into DATABASE_URL of sushi: running, 40%, 4.0 MB of the snapshot read, about 1 min 30 s left, public.orders`,
      `Restoring snapshot ${SNAPSHOT.id} into DATABASE_URL of sushi: done`,
    ].join('\n'))
    expect(stdout).to.equal(WHOLE_REPORT)
    allCalled()
  })

  it('draws the bar of autobus:capture --wait on a terminal, with the percent, the time to go and the table', async () => {
    wholeRestore()

    const {stdout, stderr, error} = await runIn(true, ['autobus:restore', '-a', 'sushi', '--confirm', 'sushi', '--interval', '0'],
      {stripAnsi: false})

    expect(error).to.equal(undefined)
    expect(stderr).to.contain(`Restoring snapshot ${SNAPSHOT.id} into DATABASE_URL of sushi\n`)
    expect(frames(stderr)).to.deep.equal([
      `${'-'.repeat(20)}   … | pending`,
      `${'-'.repeat(20)}   ? | pending`,
      `${'='.repeat(8)}${'-'.repeat(12)} 40% | 4.0 MB of the snapshot read, about 1 min 30 s left, public.orders`,
      `${'='.repeat(20)} 100% | done`,
    ])
    expect(stdout).to.equal(WHOLE_REPORT)
  })

  it('restores tables beside the live data without --confirm, into the database --to names, and says where they went', async () => {
    heroku()
    autobus()
      .get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, WITH_URL)
      .post(`/api/snapshots/${SNAPSHOT.id}/restores`,
        {target: 'STAGING_DATABASE_URL', tables: ['public.orders', 'public.customers'], mode: 'alongside', snapshot_first: true})
      .reply(202, {restore_id: 'r2', message: 'Restore started'})
      .get('/api/restores/r2').reply(200, {...COMPLETED, restore_id: 'r2', target: 'STAGING_DATABASE_URL', mode: 'alongside',
        safety_snapshot_id: null, restored_into: `restored_${SNAPSHOT.id}`})

    const {stdout, stderr, error} = await runIn(false, ['autobus:restore', '-a', 'sushi', '--to', 'STAGING_DATABASE_URL',
      '--table', 'public.orders', '--table', 'public.customers', SNAPSHOT.id, '--interval', '0'])

    expect(error).to.equal(undefined)
    expect(stderr).to.not.contain('Warning')
    expect(stdout).to.equal([
      `Restored 2 tables of snapshot ${SNAPSHOT.id} into STAGING_DATABASE_URL of sushi, beside the live data.`,
      `Restored into:   restored_${SNAPSHOT.id}`,
      '',
      'Table             Rows  Expected',
      '────────────────  ────  ────────',
      'public.orders     321   321',
      'public.customers  12    12',
      '',
    ].join('\n'))
    allCalled()
  })

  it('replaces tables with --replace and --confirm, without a snapshot first when told, --database still naming the target', async () => {
    heroku()
    autobus()
      .get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, WITH_URL)
      .post(`/api/snapshots/${SNAPSHOT.id}/restores`,
        {target: 'STAGING_DATABASE_URL', tables: ['public.orders'], mode: 'replace', confirm: 'sushi', snapshot_first: false})
      .reply(202, {restore_id: 'r3', message: 'Restore started'})
      .get('/api/restores/r3').reply(200, {...COMPLETED, restore_id: 'r3', target: 'STAGING_DATABASE_URL', mode: 'replace',
        safety_snapshot_id: null, tables: [{name: 'public.orders', rows: 320, expected_rows: 321}]})

    const {stdout, stderr, error} = await runIn(false, ['autobus:restore', SNAPSHOT.id, '-a', 'sushi', '--database', 'STAGING_DATABASE_URL',
      '--table', 'public.orders', '--replace', '--confirm', 'sushi', '--no-snapshot-first', '--interval', '0'])

    expect(error).to.equal(undefined)
    expect(unwrapped(stderr)).to.contain('This drops public.orders in STAGING_DATABASE_URL of sushi and recreates them from snapshot')
      .and.to.not.contain('takes a snapshot of it first')
    expect(stdout).to.contain(`Restored 1 table of snapshot ${SNAPSHOT.id} into STAGING_DATABASE_URL of sushi, in place of the live tables.`)
    expect(unwrapped(stderr)).to.contain('The rows restored differ from the snapshot\'s for: public.orders (320 of 321)')
    allCalled()
  })

  it('fails with Autobus\'s reason, and names the snapshot taken before', async () => {
    heroku()
    autobus()
      .get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, WITH_URL)
      .post(`/api/snapshots/${SNAPSHOT.id}/restores`).reply(202, {restore_id: 'r4', message: 'Restore started'})
      .get('/api/restores/r4').reply(200, RUNNING_40)
      .get('/api/restores/r4').reply(200, {...RUNNING_40, status: 'failed', progress: null,
        error: 'pg_restore: error: could not execute query: ERROR: disk full'})

    const {stdout, stderr, error} = await runIn(false, ['autobus:restore', SNAPSHOT.id, '-a', 'sushi', '--confirm', 'sushi', '--interval', '0'])

    expect(error.message).to.equal('The restore failed: pg_restore: error: could not execute query: ERROR: disk full\n'
      + `Snapshot ${SAFETY} holds DATABASE_URL as it was before.`)
    expect(error.oclif.exit).to.equal(1)
    expect(stderr).to.contain(`Restoring snapshot ${SNAPSHOT.id} into DATABASE_URL of sushi: stopped`)
    expect(stdout).to.equal('')
    allCalled()
  })

  it('asks for --confirm before a whole or a --replace restore, and calls no restore without it', async () => {
    heroku()
    autobus().get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, WITH_URL)
    const whole = await runCommand(['autobus:restore', SNAPSHOT.id, '-a', 'sushi'])
    heroku()
    autobus().get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, WITH_URL)
    const replace = await runCommand(['autobus:restore', SNAPSHOT.id, '-a', 'sushi', '--table', 'public.orders', '--replace', '--confirm', 'sushu'])

    expect(whole.error.message).to.equal('To proceed, run the command again with: --confirm sushi')
    expect(unwrapped(whole.stderr)).to.contain('This overwrites DATABASE_URL of sushi')
    expect(replace.error.message).to.equal('To proceed, run the command again with: --confirm sushi')
    expect(unwrapped(replace.stderr)).to.contain('This drops public.orders in DATABASE_URL of sushi')
    allCalled()
  })

  it('refuses --local with --table before asking anything', async () => {
    const {error} = await runCommand(['autobus:restore', SNAPSHOT.id, '-a', 'sushi', '--local', '--table', 'public.orders', '--confirm', 'sushi'])

    expect(error.message).to.equal('--local restores the whole snapshot only. To restore some tables, leave out --local: Autobus restores them.')
  })

  describe('--before-release', () => {
    const BEFORE = '550bb45669702d21bd430009'

    it('restores the newest completed snapshot from before the release', async () => {
      heroku()
      autobus()
        .get('/api/snapshots?status=completed&before_release=143&limit=1').reply(200, [{...SNAPSHOT, id: BEFORE}])
        .get(`/api/snapshots/${BEFORE}`).reply(200, {...WITH_URL, id: BEFORE})
        .post(`/api/snapshots/${BEFORE}/restores`, {target: 'DATABASE_URL', confirm: 'sushi', snapshot_first: true})
        .reply(202, {restore_id: 'r5', message: 'Restore started'})
        .get('/api/restores/r5').reply(200, {...COMPLETED, restore_id: 'r5', snapshot_id: BEFORE})

      const {stdout, error} = await runIn(false, ['autobus:restore', '-a', 'sushi', '--before-release', 'v143', '--confirm', 'sushi', '--interval', '0'])

      expect(error).to.equal(undefined)
      expect(stdout).to.contain(`Restored the whole of snapshot ${BEFORE} into DATABASE_URL of sushi.`)
      allCalled()
    })

    it('says so, and restores nothing, when no snapshot was taken before the release', async () => {
      heroku()
      autobus().get('/api/snapshots?status=completed&before_release=143&limit=1').reply(200, [])

      const {error} = await runCommand(['autobus:restore', '-a', 'sushi', '--before-release', '143', '--confirm', 'sushi'])

      expect(error.message).to.contain('No snapshot was taken before v143.')
      expect(error.oclif.exit).to.equal(1)
      allCalled()
    })

    it('refuses an id and --before-release together before asking anything', async () => {
      const {error} = await runCommand(['autobus:restore', SNAPSHOT.id, '-a', 'sushi', '--before-release', 'v143', '--confirm', 'sushi'])

      expect(error.message).to.equal('Give a snapshot id or --before-release v143, not both.')
      expect(error.oclif.exit).to.equal(1)
    })

    it('passes on Autobus\'s refusal of a release it cannot read', async () => {
      heroku()
      autobus().get('/api/snapshots?status=completed&before_release=v14x&limit=1').reply(422, {message: 'before_release \'14x\' is not a number.'})

      const {error} = await runCommand(['autobus:restore', '-a', 'sushi', '--before-release', 'v14x', '--confirm', 'sushi'])

      expect(error.message).to.equal('Autobus answered 422: before_release \'14x\' is not a number.')
      allCalled()
    })
  })

  it('passes on Autobus\'s refusal: a table it does not know, a restore already running', async () => {
    heroku()
    autobus()
      .get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, WITH_URL)
      .post(`/api/snapshots/${SNAPSHOT.id}/restores`).reply(422, {message: 'Snapshot has no table public.order; did you mean public.orders?'})
    const unknown = await runCommand(['autobus:restore', SNAPSHOT.id, '-a', 'sushi', '--table', 'public.order'])
    heroku()
    autobus()
      .get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, WITH_URL)
      .post(`/api/snapshots/${SNAPSHOT.id}/restores`).reply(409, {message: 'A restore of DATABASE_URL is already running.'})
    const busy = await runCommand(['autobus:restore', SNAPSHOT.id, '-a', 'sushi', '--confirm', 'sushi'])

    expect(unknown.error.message).to.equal('Autobus answered 422: Snapshot has no table public.order; did you mean public.orders?')
    expect(busy.error.message).to.equal('Autobus answered 409: A restore of DATABASE_URL is already running.')
    allCalled()
  })
})
