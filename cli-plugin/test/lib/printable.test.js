import {expect} from 'chai'
import {printable, printableJson} from '../../dist/lib/printable.js'
import {CONTROL} from '../helpers.js'

describe('printable', () => {
  it('removes a CSI clear-screen sequence whole', () => {
    expect(printable('before\x1b[2Jafter')).to.equal('beforeafter')
  })

  it('removes an OSC window title ended by BEL', () => {
    expect(printable('\x1b]0;pwned\x07orders')).to.equal('orders')
  })

  it('keeps only the text of an OSC 8 hyperlink', () => {
    expect(printable('see \x1b]8;;http://evil\x1b\\text\x1b]8;;\x1b\\ here')).to.equal('see text here')
  })

  it('removes the C1 forms of CSI and OSC, and DEL', () => {
    expect(printable('a\u009b31mb\u009d0;title\u009cc\x7fd')).to.equal('abcd')
  })

  it('removes a lone BEL and an unfinished escape', () => {
    expect(printable('ding\x07 done\x1b')).to.equal('ding done')
  })

  it('turns CR, LF and tabs into spaces, so a line cannot be overprinted or forged', () => {
    expect(printable('ok\rFAKE\r\nnext\nlast\tcell')).to.equal('ok FAKE next last cell')
  })

  it('keeps line breaks when asked, still without CR', () => {
    expect(printable('one\r\ntwo\rthree\n\x1b[31mfour', {lines: true})).to.equal('one\ntwo\nthree\nfour')
  })

  it('keeps plain spaces and printable text in any script', () => {
    expect(printable('Bestellungen  für Zürich — 注文 ─│')).to.equal('Bestellungen  für Zürich — 注文 ─│')
  })

  it('leaves no control character in any of the 256 first code points', () => {
    const every = Array.from({length: 256}, (_, i) => String.fromCharCode(i)).join('')
    expect(printable(every)).to.not.match(CONTROL).and.to.not.contain('\n')
    expect(printable(every, {lines: true})).to.not.match(CONTROL)
  })

  it('prints null and undefined as nothing', () => {
    expect(printable(null)).to.equal('')
    expect(printable(undefined)).to.equal('')
  })

  it('cleans every string of a JSON answer, keys included, and leaves other values alone', () => {
    const answer = {'na\x07me': 'x\x1b[2Jy', size: 3, ok: true, none: null, tables: [{name: 't\x07', rows: 1}]}
    expect(printableJson(answer)).to.deep.equal({name: 'xy', size: 3, ok: true, none: null, tables: [{name: 't', rows: 1}]})
  })
})
