import {expect} from 'chai'
import {localFileName} from '../../dist/lib/snapshot-files.js'

const ID = '5ac7bb45772c9005be448fbe'
const pg = fileName => localFileName({id: ID, engine: 'postgresql', file_name: fileName})
const mysql = fileName => localFileName({id: ID, engine: 'mysql', file_name: fileName})

describe('localFileName', () => {
  it('keeps a name of the service\'s form', () => {
    expect(pg(`DATABASE_${ID}.dump`)).to.equal(`DATABASE_${ID}.dump`)
    expect(pg(`PURPLE_${ID}.dump`)).to.equal(`PURPLE_${ID}.dump`)
    expect(mysql(`JAWSDB_${ID}.sql.gz`)).to.equal(`JAWSDB_${ID}.sql.gz`)
    expect(localFileName({id: ID, engine: 'mariadb', file_name: `JAWSDB_MARIA_${ID}.sql.gz`})).to.equal(`JAWSDB_MARIA_${ID}.sql.gz`)
  })

  it('keeps .age on the file of a snapshot encrypted with the customer\'s key, and only there', () => {
    const encrypted = (engine, fileName) => localFileName({id: ID, engine, file_name: fileName, encrypted_to: 'age1x'})
    expect(encrypted('postgresql', `DATABASE_${ID}.dump.age`)).to.equal(`DATABASE_${ID}.dump.age`)
    expect(encrypted('mysql', `JAWSDB_${ID}.sql.gz.age`)).to.equal(`JAWSDB_${ID}.sql.gz.age`)
    expect(encrypted('postgresql', `DATABASE_${ID}.dump`)).to.equal(`${ID}.dump.age`)
    expect(pg(`DATABASE_${ID}.dump.age`)).to.equal(`${ID}.dump`)
  })

  it('takes only the base name of a path, however it climbs', () => {
    expect(pg(`../../x/DATABASE_${ID}.dump`)).to.equal(`DATABASE_${ID}.dump`)
    expect(pg(`/etc/DATABASE_${ID}.dump`)).to.equal(`DATABASE_${ID}.dump`)
    expect(pg(`..\\..\\DATABASE_${ID}.dump`)).to.equal(`DATABASE_${ID}.dump`)
  })

  it('falls back to the snapshot id and the engine\'s extension for any other name', () => {
    for (const name of ['../../x/.bashrc', '/etc/passwd', '..', '.', '', null, undefined, 'DATABASE_.dump', `database_${ID}.dump`,
      `DATABASE_${ID}.dump.sh`, `DATABASE_${ID}.sql.gz`, `DATABASE_${'0'.repeat(24)}.dump`, `DATABASE_${ID}.dump/`]) {
      expect(pg(name), String(name)).to.equal(`${ID}.dump`)
    }
    expect(mysql(`DATABASE_${ID}.dump`)).to.equal(`${ID}.sql.gz`)
    expect(mysql('../x')).to.equal(`${ID}.sql.gz`)
  })

  it('does not trust an id that is not a plain name either', () => {
    expect(localFileName({id: '../../.bashrc', engine: 'postgresql', file_name: null})).to.equal('snapshot.dump')
    expect(localFileName({id: '/tmp/x', engine: 'mysql', file_name: 'x'})).to.equal('snapshot.sql.gz')
  })
})
