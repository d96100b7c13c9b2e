import {runCommand} from '@oclif/test'
import {expect} from 'chai'
import nock from 'nock'
import {createHash} from 'node:crypto'
import {existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {allCalled, autobus, fakeNetwork, heroku, SNAPSHOT} from '../helpers.js'

const CONTENT = Buffer.from('PGDMP pretend dump')
const SHA256 = createHash('sha256').update(CONTENT).digest('hex')

/** Autobus answers with this snapshot (merged into SNAPSHOT), and the file server with CONTENT. */
function serve(snapshot, body = CONTENT) {
  heroku()
  autobus().get(`/api/snapshots/${SNAPSHOT.id}`).reply(200, {...SNAPSHOT, sha256: SHA256, download_url: 'https://files.example.com/d?sig=x', ...snapshot})
  nock('https://files.example.com').get('/d?sig=x').reply(200, body)
}

describe('heroku autobus:download', () => {
  fakeNetwork()
  let sandbox // a fresh directory; the command runs two levels below it, so ../../ stays inside
  let cwd
  const home = process.cwd()
  beforeEach(() => {
    sandbox = realpathSync(mkdtempSync(join(tmpdir(), 'autobus-download-')))
    cwd = join(sandbox, 'a', 'b')
    mkdirSync(cwd, {recursive: true})
    process.chdir(cwd)
  })
  afterEach(() => process.chdir(home))

  it('saves under the snapshot\'s file name in the current directory, private to the user, and says the SHA-256 was verified', async () => {
    serve({})

    const {stdout, error} = await runCommand(['autobus:download', SNAPSHOT.id, '-a', 'sushi'])

    expect(error).to.equal(undefined)
    expect(readdirSync(cwd)).to.deep.equal([SNAPSHOT.file_name])
    expect(readFileSync(join(cwd, SNAPSHOT.file_name)).equals(CONTENT)).to.equal(true)
    expect(statSync(join(cwd, SNAPSHOT.file_name)).mode & 0o077).to.equal(0)
    expect(stdout).to.contain(`to ${SNAPSHOT.file_name} (${CONTENT.length} bytes, SHA-256 verified)`)
    allCalled()
  })

  it('never follows a ../ file name out of the current directory', async () => {
    serve({file_name: '../../x/.bashrc'})

    const {stdout, error} = await runCommand(['autobus:download', SNAPSHOT.id, '-a', 'sushi'])

    expect(error).to.equal(undefined)
    expect(existsSync(join(sandbox, 'x'))).to.equal(false)
    expect(readdirSync(cwd)).to.deep.equal([`${SNAPSHOT.id}.dump`])
    expect(stdout).to.contain(`to ${SNAPSHOT.id}.dump`)
  })

  it('takes only the base name of an absolute file name of the service\'s form, and refuses any other', async () => {
    serve({file_name: join(sandbox, 'abs', SNAPSHOT.file_name)})
    const first = await runCommand(['autobus:download', SNAPSHOT.id, '-a', 'sushi'])
    serve({file_name: join(sandbox, 'victim')})
    const second = await runCommand(['autobus:download', SNAPSHOT.id, '-a', 'sushi'])

    expect(first.error).to.equal(undefined)
    expect(second.error).to.equal(undefined)
    expect(readdirSync(sandbox)).to.deep.equal(['a'])
    expect(readdirSync(cwd).sort()).to.deep.equal([SNAPSHOT.file_name, `${SNAPSHOT.id}.dump`].sort())
  })

  it('keeps .age on an encrypted snapshot\'s file and says how to decrypt and restore it', async () => {
    const fileName = `DATABASE_${SNAPSHOT.id}.dump.age`
    const command = `age -d -i key.txt ${fileName} | pg_restore --verbose --clean --if-exists --no-acl --no-owner -h host -U myuser -d mydb`
    serve({file_name: fileName, encrypted_to: 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p', restore_command: command})

    const {stdout, error} = await runCommand(['autobus:download', SNAPSHOT.id, '-a', 'sushi'])

    expect(error).to.equal(undefined)
    expect(readdirSync(cwd)).to.deep.equal([fileName])
    expect(stdout).to.contain(`It is encrypted with your own key (age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p): decrypt it with your private key, e.g. age -d -i key.txt ${fileName}`)
      .and.to.contain(`Restore: ${command}`)
    allCalled()
  })

  it('names a MySQL snapshot with .sql.gz', async () => {
    serve({engine: 'mysql', file_name: 'evil.dump'})

    const {error} = await runCommand(['autobus:download', SNAPSHOT.id, '-a', 'sushi'])

    expect(error).to.equal(undefined)
    expect(readdirSync(cwd)).to.deep.equal([`${SNAPSHOT.id}.sql.gz`])
  })

  it('says plainly that it could not check a file that came without a SHA-256, and never that it verified it', async () => {
    serve({sha256: null})

    const {stdout, stderr, error} = await runCommand(['autobus:download', SNAPSHOT.id, '-a', 'sushi'])

    expect(error).to.equal(undefined)
    expect(readFileSync(join(cwd, SNAPSHOT.file_name)).equals(CONTENT)).to.equal(true)
    expect(stdout + stderr).to.not.contain('verified')
    expect(stdout).to.contain('SHA-256 NOT checked')
    expect(stderr).to.contain('Autobus sent no SHA-256').and.to.contain('could not be checked')
  })

  it('treats a malformed SHA-256 as none', async () => {
    serve({sha256: 'not-a-hash'})

    const {stdout} = await runCommand(['autobus:download', SNAPSHOT.id, '-a', 'sushi'])

    expect(stdout).to.contain('SHA-256 NOT checked').and.to.not.contain('verified')
  })

  it('leaves nothing behind when the file does not match its SHA-256', async () => {
    serve({}, 'tampered')

    const {error} = await runCommand(['autobus:download', SNAPSHOT.id, '-a', 'sushi'])

    expect(error.message).to.contain('does not match the snapshot').and.to.contain('nothing was saved')
    expect(readdirSync(cwd)).to.deep.equal([])
  })

  it('leaves nothing behind, not even a partial file, when the download breaks off', async () => {
    const server = createServer((request, response) => {
      response.writeHead(200, {'Content-Length': '100000'})
      response.write('PGDMP'.repeat(1000), () => setTimeout(() => response.destroy(), 20))
    })
    await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
    nock.enableNetConnect('127.0.0.1')
    serve({download_url: `http://127.0.0.1:${server.address().port}/d`})
    nock.removeInterceptor({hostname: 'files.example.com', path: '/d?sig=x'})

    try {
      const {error} = await runCommand(['autobus:download', SNAPSHOT.id, '-a', 'sushi'])

      expect(error.message).to.contain(`The download of snapshot ${SNAPSHOT.id} failed`).and.to.contain('nothing was saved')
      expect(readdirSync(cwd)).to.deep.equal([])
    } finally {
      server.close()
    }
  })

  it('never overwrites an existing file without --force, and replaces it with --force', async () => {
    writeFileSync(join(cwd, SNAPSHOT.file_name), 'precious')
    serve({})

    const refused = await runCommand(['autobus:download', SNAPSHOT.id, '-a', 'sushi'])

    expect(refused.error.message).to.contain(`${SNAPSHOT.file_name} already exists`).and.to.contain('--force')
    expect(readFileSync(join(cwd, SNAPSHOT.file_name), 'utf8')).to.equal('precious')
    expect(readdirSync(cwd)).to.deep.equal([SNAPSHOT.file_name])

    nock.cleanAll()
    serve({})
    const forced = await runCommand(['autobus:download', SNAPSHOT.id, '-a', 'sushi', '--force'])

    expect(forced.error).to.equal(undefined)
    expect(readFileSync(join(cwd, SNAPSHOT.file_name)).equals(CONTENT)).to.equal(true)
    expect(readdirSync(cwd)).to.deep.equal([SNAPSHOT.file_name])
  })

  it('never writes through a symlink in its way', async () => {
    const outside = join(sandbox, 'outside')
    symlinkSync(outside, join(cwd, SNAPSHOT.file_name))
    serve({})

    const refused = await runCommand(['autobus:download', SNAPSHOT.id, '-a', 'sushi'])
    nock.cleanAll()
    serve({})
    const forced = await runCommand(['autobus:download', SNAPSHOT.id, '-a', 'sushi', '--force'])

    expect(refused.error.message).to.contain('already exists')
    expect(forced.error).to.equal(undefined)
    expect(existsSync(outside)).to.equal(false)
    expect(lstatSync(join(cwd, SNAPSHOT.file_name)).isFile()).to.equal(true)
  })

  it('writes where --output says, inside it when it is a directory', async () => {
    mkdirSync(join(sandbox, 'backups'))
    serve({file_name: '../../x/.bashrc'})
    const intoDirectory = await runCommand(['autobus:download', SNAPSHOT.id, '-a', 'sushi', '--output', join(sandbox, 'backups')])
    serve({})
    const asFile = await runCommand(['autobus:download', SNAPSHOT.id, '-a', 'sushi', '-o', '../chosen.dump'])

    expect(intoDirectory.error).to.equal(undefined)
    expect(asFile.error).to.equal(undefined)
    expect(readdirSync(join(sandbox, 'backups'))).to.deep.equal([`${SNAPSHOT.id}.dump`])
    expect(readFileSync(join(sandbox, 'a', 'chosen.dump')).equals(CONTENT)).to.equal(true)
    expect(readdirSync(cwd)).to.deep.equal([])
  })

  describe('--before-release', () => {
    const BEFORE = '550bb45669702d21bd430009'

    it('downloads the newest completed snapshot from before the release', async () => {
      heroku()
      autobus()
        .get('/api/snapshots?status=completed&before_release=143&limit=1').reply(200, [{...SNAPSHOT, id: BEFORE}])
        .get(`/api/snapshots/${BEFORE}`).reply(200, {...SNAPSHOT, id: BEFORE, file_name: `DATABASE_${BEFORE}.dump`, sha256: SHA256,
          download_url: 'https://files.example.com/b?sig=x'})
      nock('https://files.example.com').get('/b?sig=x').reply(200, CONTENT)

      const {stdout, error} = await runCommand(['autobus:download', '-a', 'sushi', '--before-release', 'v143'])

      expect(error).to.equal(undefined)
      expect(readFileSync(join(cwd, `DATABASE_${BEFORE}.dump`)).equals(CONTENT)).to.equal(true)
      expect(stdout).to.contain(`Downloaded ${BEFORE} to DATABASE_${BEFORE}.dump`)
      allCalled()
    })

    it('says so, and writes nothing, when no snapshot was taken before the release', async () => {
      heroku()
      autobus().get('/api/snapshots?status=completed&before_release=143&limit=1').reply(200, [])

      const {error} = await runCommand(['autobus:download', '-a', 'sushi', '--before-release', '143'])

      expect(error.message).to.contain('No snapshot was taken before v143.')
      expect(error.oclif.exit).to.equal(1)
      expect(readdirSync(cwd)).to.deep.equal([])
      allCalled()
    })

    it('refuses an id and --before-release together before asking anything', async () => {
      const {error} = await runCommand(['autobus:download', SNAPSHOT.id, '-a', 'sushi', '--before-release', '143'])

      expect(error.message).to.equal('Give a snapshot id or --before-release v143, not both.')
      expect(error.oclif.exit).to.equal(1)
    })

    it('passes on Autobus\'s refusal of a release it cannot read', async () => {
      heroku()
      autobus().get('/api/snapshots?status=completed&before_release=-1&limit=1').reply(422, {message: 'before_release must be at least 0.'})

      const {error} = await runCommand(['autobus:download', '-a', 'sushi', '--before-release=-1'])

      expect(error.message).to.equal('Autobus answered 422: before_release must be at least 0.')
      allCalled()
    })
  })
})
