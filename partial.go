package mirascope

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

const (
	// maxJSONDepth is encoding/json's own bound on nesting: deeper, the
	// answer cannot decode, so following it is pointless.
	maxJSONDepth = 10000
	// maxBindDepth bounds the containers built value by value; deeper ones
	// are left to encoding/json once complete, keeping the work per chunk
	// bounded whatever the nesting.
	maxBindDepth = 64
	// maxPartialNumber is the longest unfinished number shown: a longer
	// one (a model gone wrong) is decoded once complete.
	maxPartialNumber = 64
	// smallCollection is the size below which a list or map shows its
	// open element on every chunk, whatever the budget.
	smallCollection = 8
	// mapBudget is how many bytes per entry a map waits between two
	// showings: each is a copy, entry by entry.
	mapBudget = 4
)

// partialDecoder follows one JSON value as it streams in and keeps the Go
// value it stands for so far. Each byte is read once: a chunk costs time in
// proportion to its length, plus the depth of the open value when something
// shows. Built values are never changed once shown: strings only grow past
// what was shown, a slice is copied before an element it showed changes, a
// map is shown as a copy. That copying is bounded by a budget: a list with
// n entries shows its open entry at most once per n bytes read, a map with
// n entries changes at most once per 4n bytes.
type partialDecoder struct {
	root   *plan
	off    int // bytes read before the current chunk
	failed bool
	mode   scanMode
	ctr    []byte   // open '{' and '[', for the syntax
	frames []*frame // the open containers, outermost first
	quiet  int      // containers open inside a silent (skipped or opaque) top frame
	leaf   leaf     // the string, number or literal being read

	text strings.Builder // the bytes of every string built, back to back
	key  []byte          // the key being read
	num  []byte          // the number being read

	raw     []byte // an opaque value's JSON, kept while it is open
	rawOn   bool
	rawFrom int // where the opaque value starts in the current chunk

	yielded bool
	rootW   reflect.Value // the root value, once complete
	rootCh  bool          // rootW is not shown yet
}

type scanMode uint8

const (
	mValue      scanMode = iota // a value is due
	mValueOrEnd                 // after '[': a value or ']'
	mKeyOrEnd                   // after '{': a key or '}'
	mKey                        // after ',' in an object
	mColon                      // after a key
	mNext                       // after a value in a container: ',' or its closer
	mDone                       // the root value is complete
	mString
	mNumber
	mLiteral
)

type frameKind uint8

const (
	fSkip   frameKind = iota // not in T (an unknown key), or not of its type
	fOpaque                  // decoded by encoding/json once complete
	fStruct
	fSlice
	fMap
)

// frame is an open container.
type frame struct {
	kind     frameKind
	slot     *plan // the slot it fills in its parent (nil for fSkip)
	vp       *plan // what is built: a struct, slice or map plan
	inStruct bool  // its parent is a struct: a zero value there is no news

	// The open child's place and plan.
	field     *planField    // fStruct: nil for a key T does not have
	key       reflect.Value // fMap
	childSlot *plan

	cur     reflect.Value // fStruct: the complete fields, addressable
	arr     reflect.Value // fSlice: backing array (len = cap); arr[:n] complete
	n       int
	frozen  int           // fSlice: arr[:frozen] was shown and must not change
	m       reflect.Value // fMap: the complete entries; never shown itself
	budget0 int           // offset of the last costly showing
	stale   bool          // the open child changed and that is not shown yet
	dirty   bool          // a complete child changed it since it was shown
	exposed bool
	lastLen int // fSlice: the length last shown
	lastW   reflect.Value
}

// leaf is the scalar being read: a string (value or key), number or literal.
type leaf struct {
	kind     byte // 's', 'n', 'l', or 0 for none
	isKey    bool
	silent   bool // inside a skipped or opaque container: nothing to build
	slot     *plan
	bound    bool // built value by value (else skipped or opaque)
	opaque   bool
	inStruct bool

	// string
	off  int // start in text
	esc  int // 0; 1 after '\'; 2–5 reading \u's hex digits
	hex  rune
	high rune // a high surrogate waiting for its low half
	pend [4]byte
	np   int // bytes of a UTF-8 sequence cut by a chunk's end
	// number
	nstate numState
	// literal
	lit string
	li  int

	exposed  bool
	lastN    int
	lastW    reflect.Value
	lastBase reflect.Value
}

type numState uint8

const (
	nMinus numState = iota
	nZero
	nInt
	nDot
	nFrac
	nE
	nESign
	nExp
)

func numComplete(s numState) bool { return s == nZero || s == nInt || s == nFrac || s == nExp }

func newPartialDecoder(t reflect.Type) *partialDecoder {
	return &partialDecoder{root: planFor(t)}
}

// write reads one chunk and returns the value to show, if it changed.
func (d *partialDecoder) write(s string) (reflect.Value, bool) {
	d.read(s)
	return d.show(false)
}

// flush returns the value with everything read so far shown, if that
// changed, ignoring the budget: for the end of the stream.
func (d *partialDecoder) flush() (reflect.Value, bool) { return d.show(true) }

func (d *partialDecoder) fail() { d.failed = true }

func (d *partialDecoder) read(s string) {
	if d.failed {
		return
	}
	for i := 0; i < len(s) && !d.failed; {
		switch d.mode {
		case mString:
			i = d.scanString(s, i)
		case mNumber:
			if d.numberByte(s[i]) {
				i++
			} else if !d.failed {
				d.endNumber(s, i) // s[i] is read again as what follows
			}
		case mLiteral:
			l := &d.leaf
			if s[i] != l.lit[l.li] {
				d.fail()
				break
			}
			i++
			if l.li++; l.li == len(l.lit) {
				d.endLiteral(s, i)
			}
		default:
			d.structural(s, i)
			i++
		}
	}
	if d.rawOn {
		d.raw = append(d.raw, s[d.rawFrom:]...)
		d.rawFrom = 0
	}
	d.off += len(s)
}

func (d *partialDecoder) structural(s string, i int) {
	c := s[i]
	switch c {
	case ' ', '\t', '\n', '\r':
		return
	}
	switch d.mode {
	case mValueOrEnd:
		if c == ']' {
			d.closeContainer(s, i)
			return
		}
		d.beginValue(s, i)
	case mValue:
		d.beginValue(s, i)
	case mKeyOrEnd, mKey:
		if c == '}' && d.mode == mKeyOrEnd {
			d.closeContainer(s, i)
			return
		}
		if c != '"' {
			d.fail()
			return
		}
		d.key = d.key[:0]
		d.leaf = leaf{kind: 's', isKey: true, silent: d.silent()}
		d.mode = mString
	case mColon:
		if c != ':' {
			d.fail()
			return
		}
		d.mode = mValue
	case mNext:
		top := d.ctr[len(d.ctr)-1]
		switch {
		case c == ',' && top == '{':
			d.mode = mKey
		case c == ',':
			d.mode = mValue
		case c == '}' && top == '{', c == ']' && top == '[':
			d.closeContainer(s, i)
		default:
			d.fail()
		}
	default:
		d.fail() // mDone: data after the value
	}
}

// silent reports whether what is read now builds nothing.
func (d *partialDecoder) silent() bool {
	if d.quiet > 0 {
		return true
	}
	if n := len(d.frames); n > 0 {
		k := d.frames[n-1].kind
		return k == fSkip || k == fOpaque
	}
	return false
}

// slot is the plan of the value about to begin, nil when it is skipped.
func (d *partialDecoder) slot() (p *plan, silent, inStruct bool) {
	if d.silent() {
		return nil, true, false
	}
	if len(d.frames) == 0 {
		return d.root, false, false
	}
	top := d.frames[len(d.frames)-1]
	return top.childSlot, false, top.kind == fStruct
}

func (d *partialDecoder) beginValue(s string, i int) {
	c := s[i]
	p, silent, inStruct := d.slot()
	switch {
	case c == '{' || c == '[':
		if len(d.ctr) >= maxJSONDepth {
			d.fail()
			return
		}
		d.ctr = append(d.ctr, c)
		if c == '{' {
			d.mode = mKeyOrEnd
		} else {
			d.mode = mValueOrEnd
		}
		if silent {
			d.quiet++
			return
		}
		d.frames = append(d.frames, d.newFrame(c, p, inStruct, i))
		return
	case c == '"':
		d.leaf = leaf{kind: 's'}
		d.mode = mString
	case c == '-' || c >= '0' && c <= '9':
		d.leaf = leaf{kind: 'n', nstate: nInt}
		switch c {
		case '-':
			d.leaf.nstate = nMinus
		case '0':
			d.leaf.nstate = nZero
		}
		d.num = append(d.num[:0], c)
		d.mode = mNumber
	case c == 't' || c == 'f' || c == 'n':
		lit := "null"
		switch c {
		case 't':
			lit = "true"
		case 'f':
			lit = "false"
		}
		d.leaf = leaf{kind: 'l', lit: lit, li: 1}
		d.mode = mLiteral
	default:
		d.fail()
		return
	}
	l := &d.leaf
	l.silent, l.slot, l.inStruct = silent, p, inStruct
	switch {
	case silent || p == nil:
	case p.kind == pkOpaque:
		l.opaque = true
		d.startRaw(i)
	case l.kind == 's':
		l.bound = p.kind == pkString || p.kind == pkAny
		l.off = d.text.Len()
	case l.kind == 'n':
		l.bound = p.kind == pkInt || p.kind == pkUint || p.kind == pkFloat || p.kind == pkAny
	case l.kind == 'l':
		l.bound = true // checked against the slot at its end
	}
}

func (d *partialDecoder) newFrame(c byte, p *plan, inStruct bool, i int) *frame {
	f := &frame{slot: p, inStruct: inStruct, budget0: d.off + i}
	switch {
	case p == nil:
		f.kind = fSkip
	case p.kind == pkOpaque || len(d.frames) >= maxBindDepth && (p.kind == pkStruct || p.kind == pkSlice || p.kind == pkMap || p.kind == pkAny):
		f.kind = fOpaque
		d.startRaw(i)
	case c == '{' && p.kind == pkStruct:
		f.kind, f.vp = fStruct, p
		f.cur = reflect.New(p.base).Elem()
	case c == '{' && (p.kind == pkMap || p.kind == pkAny):
		f.kind, f.vp = fMap, p
		if p.kind == pkAny {
			f.vp = anyMapPlan
		}
		f.m = reflect.MakeMap(f.vp.base)
		f.childSlot = planFor(f.vp.base.Elem())
	case c == '[' && (p.kind == pkSlice || p.kind == pkAny):
		f.kind, f.vp = fSlice, p
		if p.kind == pkAny {
			f.vp = anySlicePlan
		}
		f.arr = reflect.MakeSlice(f.vp.base, 4, 4)
		f.childSlot = planFor(f.vp.base.Elem())
	default:
		f.kind = fSkip // not the kind of value the slot holds
	}
	return f
}

func (d *partialDecoder) closeContainer(s string, i int) {
	d.ctr = d.ctr[:len(d.ctr)-1]
	if d.quiet > 0 {
		d.quiet--
		d.valueDone()
		return
	}
	f := d.frames[len(d.frames)-1]
	d.frames = d.frames[:len(d.frames)-1]
	was := f.exposed
	var v reflect.Value
	unchanged := false
	switch f.kind {
	case fOpaque:
		v = d.endRaw(s, i+1, f.slot)
	case fMap:
		if f.exposed && !f.dirty && !f.stale {
			v, unchanged = f.lastW, true
		} else {
			v = wrap(f.m, f.slot)
		}
	case fStruct, fSlice:
		_, w, ch := f.show(d.off+i, false, reflect.Value{}, false, true)
		v, unchanged = w, was && !ch
	}
	d.commit(v, unchanged, was)
	d.valueDone()
}

func (d *partialDecoder) valueDone() {
	d.leaf.kind = 0
	if len(d.ctr) == 0 {
		d.mode = mDone
	} else {
		d.mode = mNext
	}
}

// commit puts a complete value in its parent; v is invalid for a value that
// does not fit. unchanged says v is what the parent showed already.
func (d *partialDecoder) commit(v reflect.Value, unchanged, exposed bool) {
	if len(d.frames) == 0 {
		if v.IsValid() && !unchanged {
			d.rootW, d.rootCh = v, true
		}
		return
	}
	if d.silent() {
		return
	}
	f := d.frames[len(d.frames)-1]
	switch f.kind {
	case fStruct:
		if f.field == nil {
			return
		}
		fv := f.cur.FieldByIndex(f.field.index)
		if !v.IsValid() {
			v = reflect.Zero(fv.Type())
		}
		if !exposed && v.IsZero() {
			unchanged = true // the field was zero already
		}
		fv.Set(v)
		f.field = nil
		if !unchanged {
			f.dirty = true
		}
	case fSlice:
		if unchanged && !f.stale && f.n < f.frozen {
			f.n++ // arr[n] holds v, shown
			return
		}
		if f.n < f.frozen || f.n >= f.arr.Len() {
			f.realloc()
		}
		if v.IsValid() {
			f.arr.Index(f.n).Set(v)
		} else {
			f.arr.Index(f.n).SetZero()
		}
		f.n++
		f.dirty, f.stale = true, false
	case fMap:
		if !v.IsValid() {
			v = reflect.Zero(f.vp.base.Elem())
		}
		f.m.SetMapIndex(f.key, v)
		if !unchanged || f.stale || !f.exposed {
			f.dirty = true
		}
		f.stale, f.key = false, reflect.Value{}
	}
}

// realloc moves a slice's complete elements to a new array, twice as
// large, that nothing shown shares.
func (f *frame) realloc() {
	a := reflect.MakeSlice(f.vp.base, max(2*f.n+2, 4), max(2*f.n+2, 4))
	reflect.Copy(a, f.arr.Slice(0, f.n))
	f.arr, f.frozen = a, 0
}

// show returns the value to show, if any, and whether it differs from the
// last one: the leaf first, then each container up to the root.
func (d *partialDecoder) show(force bool) (reflect.Value, bool) {
	if d.failed {
		return reflect.Value{}, false
	}
	if len(d.frames) == 0 && d.leaf.kind == 0 {
		if d.rootCh {
			d.rootCh, d.yielded = false, true
			return d.rootW, true
		}
		return reflect.Value{}, false
	}
	has, w, ch := d.showLeaf()
	for i := len(d.frames) - 1; i >= 0; i-- {
		has, w, ch = d.frames[i].show(d.off, has, w, ch, force)
	}
	if has && (ch || !d.yielded) {
		d.yielded = true
		return w, true
	}
	return reflect.Value{}, false
}

// firstChanged says whether a value shown for the first time is news to
// its parent: always in a slice or map (it adds an entry) or at the root;
// in a struct, unless it is the zero value the field had.
func firstChanged(p *plan, base reflect.Value, inStruct bool) bool {
	return !inStruct || p.ptrs > 0 || p.kind == pkAny || !base.IsZero()
}

// wrap puts v behind the pointers its slot has.
func wrap(v reflect.Value, p *plan) reflect.Value {
	t := p.base
	for range p.ptrs {
		pv := reflect.New(t)
		pv.Elem().Set(v)
		v, t = pv, pv.Type()
	}
	return v
}

func (d *partialDecoder) showLeaf() (bool, reflect.Value, bool) {
	l := &d.leaf
	if l.kind == 0 || l.isKey || l.silent || !l.bound {
		return false, reflect.Value{}, false
	}
	switch l.kind {
	case 's':
		n := d.text.Len() - l.off
		if l.exposed && n == l.lastN {
			return true, l.lastW, false
		}
		base := stringValue(l.slot, d.text.String()[l.off:])
		ch := l.exposed || firstChanged(l.slot, base, l.inStruct)
		l.exposed, l.lastN, l.lastW = true, n, wrap(base, l.slot)
		return true, l.lastW, ch
	case 'n':
		if !numComplete(l.nstate) || len(d.num) > maxPartialNumber {
			return l.exposed, l.lastW, false
		}
		base, ok := numberValue(l.slot, string(d.num))
		if !ok {
			return l.exposed, l.lastW, false
		}
		if l.exposed && base.Equal(l.lastBase) {
			return true, l.lastW, false
		}
		ch := l.exposed || firstChanged(l.slot, base, l.inStruct)
		l.exposed, l.lastBase, l.lastW = true, base, wrap(base, l.slot)
		return true, l.lastW, ch
	}
	return false, reflect.Value{}, false
}

func (f *frame) show(off int, has bool, cv reflect.Value, cch, force bool) (bool, reflect.Value, bool) {
	switch f.kind {
	case fStruct:
		if f.exposed && !f.dirty && !cch {
			return true, f.lastW, false
		}
		v := reflect.New(f.vp.base).Elem()
		v.Set(f.cur)
		if has && f.field != nil {
			v.FieldByIndex(f.field.index).Set(cv)
		}
		ch := f.exposed || firstChanged(f.slot, v, f.inStruct)
		f.exposed, f.dirty, f.lastW = true, false, wrap(v, f.slot)
		return true, f.lastW, ch
	case fSlice:
		if cch {
			f.stale = true
		}
		want, placed := f.n, false
		if has {
			switch {
			case !f.stale: // arr[n] holds it, shown already
				want = f.n + 1
			case force || f.n < smallCollection || off-f.budget0 >= f.n:
				if f.n < f.frozen || f.n >= f.arr.Len() {
					f.realloc()
				}
				f.arr.Index(f.n).Set(cv)
				f.budget0, f.stale = off, false
				want, placed = f.n+1, true
			case !f.dirty:
				return true, f.lastW, false // over budget: keep what was shown
			}
		}
		if f.exposed && !f.dirty && !placed && want == f.lastLen {
			return true, f.lastW, false
		}
		v := f.arr.Slice3(0, want, want)
		f.frozen = max(f.frozen, want)
		ch := f.exposed || firstChanged(f.slot, v, f.inStruct)
		f.exposed, f.dirty, f.lastLen, f.lastW = true, false, want, wrap(v, f.slot)
		return true, f.lastW, ch
	case fMap:
		if cch {
			f.stale = true
		}
		if f.exposed && !f.dirty && !f.stale {
			return true, f.lastW, false
		}
		if f.exposed && !force && f.m.Len() >= smallCollection && off-f.budget0 < mapBudget*f.m.Len() {
			return true, f.lastW, false
		}
		v := reflect.MakeMapWithSize(f.vp.base, f.m.Len()+1)
		for it := f.m.MapRange(); it.Next(); {
			v.SetMapIndex(it.Key(), it.Value())
		}
		if has && f.key.IsValid() {
			v.SetMapIndex(f.key, cv)
		}
		ch := f.exposed || firstChanged(f.slot, v, f.inStruct)
		f.budget0, f.stale, f.dirty = off, false, false
		f.exposed, f.lastW = true, wrap(v, f.slot)
		return true, f.lastW, ch
	}
	return false, reflect.Value{}, false
}

// keyDone points the object being read at the key just read.
func (d *partialDecoder) keyDone() {
	d.mode = mColon
	if d.silent() {
		return
	}
	f := d.frames[len(d.frames)-1]
	switch f.kind {
	case fStruct:
		f.field, f.childSlot = f.vp.field(d.key), nil
		if f.field != nil {
			f.childSlot = planFor(f.field.typ)
		}
	case fMap:
		f.key = reflect.ValueOf(string(d.key)).Convert(f.vp.base.Key())
	}
}

func stringValue(p *plan, s string) reflect.Value {
	if p.kind == pkAny {
		return reflect.ValueOf(s)
	}
	v := reflect.New(p.base).Elem()
	v.SetString(s)
	return v
}

// numberValue converts a JSON number as encoding/json does; ok is false
// when it does not fit.
func numberValue(p *plan, s string) (reflect.Value, bool) {
	switch p.kind {
	case pkAny:
		f, err := strconv.ParseFloat(s, 64)
		return reflect.ValueOf(f), err == nil
	case pkInt:
		n, err := strconv.ParseInt(s, 10, 64)
		v := reflect.New(p.base).Elem()
		if err != nil || v.OverflowInt(n) {
			return v, false
		}
		v.SetInt(n)
		return v, true
	case pkUint:
		n, err := strconv.ParseUint(s, 10, 64)
		v := reflect.New(p.base).Elem()
		if err != nil || v.OverflowUint(n) {
			return v, false
		}
		v.SetUint(n)
		return v, true
	case pkFloat:
		v := reflect.New(p.base).Elem()
		f, err := strconv.ParseFloat(s, p.base.Bits())
		if err != nil || v.OverflowFloat(f) {
			return v, false
		}
		v.SetFloat(f)
		return v, true
	}
	return reflect.Value{}, false
}

// numberByte reads c as part of the number; false when the number ended
// before c (or c makes it invalid, and the decoder failed).
func (d *partialDecoder) numberByte(c byte) bool {
	digit := c >= '0' && c <= '9'
	l := &d.leaf
	next, ok := l.nstate, true
	switch l.nstate {
	case nMinus:
		next, ok = nInt, digit
		if c == '0' {
			next = nZero
		}
	case nZero, nInt, nFrac:
		switch {
		case digit && l.nstate != nZero:
		case c == '.' && l.nstate != nFrac:
			next = nDot
		case c == 'e' || c == 'E':
			next = nE
		default:
			ok = false
		}
	case nDot:
		next, ok = nFrac, digit
	case nE:
		next, ok = nExp, digit
		if c == '+' || c == '-' {
			next, ok = nESign, true
		}
	case nESign, nExp:
		next, ok = nExp, digit
	}
	if !ok {
		if !numComplete(l.nstate) {
			d.fail()
		}
		return false
	}
	l.nstate = next
	if l.bound {
		d.num = append(d.num, c)
	}
	return true
}

func (d *partialDecoder) endNumber(s string, i int) {
	l := &d.leaf
	switch {
	case l.silent:
	case l.opaque:
		d.commit(d.endRaw(s, i, l.slot), false, false)
	case !l.bound:
		d.commit(reflect.Value{}, false, false)
	default:
		base, ok := numberValue(l.slot, string(d.num))
		switch {
		case !ok:
			d.commit(reflect.Value{}, !l.exposed, l.exposed)
		case l.exposed && base.Equal(l.lastBase):
			d.commit(l.lastW, true, true)
		default:
			d.commit(wrap(base, l.slot), false, l.exposed)
		}
	}
	d.valueDone()
}

func (d *partialDecoder) endLiteral(s string, end int) {
	l := &d.leaf
	switch {
	case l.silent:
	case l.opaque:
		d.commit(d.endRaw(s, end, l.slot), false, false)
	case l.slot == nil:
		d.commit(reflect.Value{}, false, false)
	case l.lit == "null":
		d.commit(reflect.Zero(l.slot.full), false, false)
	case l.slot.kind == pkBool:
		v := reflect.New(l.slot.base).Elem()
		v.SetBool(l.lit == "true")
		d.commit(wrap(v, l.slot), false, false)
	case l.slot.kind == pkAny:
		d.commit(wrap(reflect.ValueOf(l.lit == "true"), l.slot), false, false)
	default:
		d.commit(reflect.Value{}, false, false)
	}
	d.valueDone()
}

func (d *partialDecoder) endString(s string, end int) {
	l := &d.leaf
	d.flushHigh()
	d.drainPend(true)
	if l.isKey {
		d.keyDone()
		return
	}
	switch {
	case l.silent:
	case l.opaque:
		d.commit(d.endRaw(s, end, l.slot), false, false)
	case !l.bound:
		d.commit(reflect.Value{}, false, false)
	case l.exposed && d.text.Len()-l.off == l.lastN:
		d.commit(l.lastW, true, true)
	default:
		d.commit(wrap(stringValue(l.slot, d.text.String()[l.off:]), l.slot), false, l.exposed)
	}
	d.valueDone()
}

// scanString reads string bytes from s[i:] up to the closing quote,
// unescaping them as encoding/json does (invalid UTF-8 and lone surrogates
// become U+FFFD), and returns where it stopped. An escape, surrogate pair
// or UTF-8 sequence cut by the chunk's end waits for the next chunk.
func (d *partialDecoder) scanString(s string, i int) int {
	l := &d.leaf
	for i < len(s) && !d.failed {
		c := s[i]
		if l.np > 0 {
			if c >= 0x80 && c < 0xC0 {
				l.pend[l.np] = c
				l.np++
				i++
				d.drainPend(false)
				continue
			}
			d.drainPend(true)
		}
		if l.esc > 0 {
			d.escapeByte(c)
			i++
			continue
		}
		switch {
		case c == '"':
			d.endString(s, i+1)
			return i + 1
		case c == '\\':
			l.esc = 1
			i++
		case c < 0x20:
			d.fail()
			return len(s)
		case c < 0x80:
			j := i + 1
			for j < len(s) && s[j] >= 0x20 && s[j] < 0x80 && s[j] != '"' && s[j] != '\\' {
				j++
			}
			d.flushHigh()
			d.emit(s[i:j])
			i = j
		default:
			d.flushHigh()
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r != utf8.RuneError || size > 1:
				d.emit(s[i : i+size])
			case !utf8.FullRuneInString(s[i:]):
				l.np = copy(l.pend[:], s[i:])
				return len(s)
			default:
				d.emit("\uFFFD")
			}
			i += size
		}
	}
	return i
}

func (d *partialDecoder) escapeByte(c byte) {
	l := &d.leaf
	if l.esc == 1 {
		l.esc = 0
		var b byte
		switch c {
		case 'u':
			l.esc, l.hex = 2, 0
			return
		case '"', '\\', '/':
			b = c
		case 'b':
			b = '\b'
		case 'f':
			b = '\f'
		case 'n':
			b = '\n'
		case 'r':
			b = '\r'
		case 't':
			b = '\t'
		default:
			d.fail()
			return
		}
		d.flushHigh()
		d.emitByte(b)
		return
	}
	var h rune
	switch {
	case c >= '0' && c <= '9':
		h = rune(c - '0')
	case c >= 'a' && c <= 'f':
		h = rune(c-'a') + 10
	case c >= 'A' && c <= 'F':
		h = rune(c-'A') + 10
	default:
		d.fail()
		return
	}
	l.hex = l.hex<<4 | h
	if l.esc++; l.esc < 6 {
		return
	}
	l.esc = 0
	r := l.hex
	if l.high != 0 {
		high := l.high
		l.high = 0
		if utf16.IsSurrogate(r) && r >= 0xDC00 {
			d.emitRune(utf16.DecodeRune(high, r))
			return
		}
		d.emitRune(utf8.RuneError)
	}
	switch {
	case r >= 0xD800 && r < 0xDC00:
		l.high = r
	case utf16.IsSurrogate(r):
		d.emitRune(utf8.RuneError)
	default:
		d.emitRune(r)
	}
}

// flushHigh gives up on a high surrogate not followed by its low half.
func (d *partialDecoder) flushHigh() {
	if d.leaf.high != 0 {
		d.leaf.high = 0
		d.emitRune(utf8.RuneError)
	}
}

// drainPend decodes the UTF-8 bytes held back at a chunk's end, once
// complete; all of them when nothing more can complete them.
func (d *partialDecoder) drainPend(all bool) {
	l := &d.leaf
	for l.np > 0 {
		if !all && !utf8.FullRune(l.pend[:l.np]) {
			return
		}
		r, size := utf8.DecodeRune(l.pend[:l.np])
		if r == utf8.RuneError && size == 1 {
			d.emit("\uFFFD")
		} else {
			d.emit(string(l.pend[:size]))
		}
		l.np = copy(l.pend[:], l.pend[size:l.np])
	}
}

func (d *partialDecoder) emit(s string) {
	switch l := &d.leaf; {
	case l.isKey && !l.silent:
		d.key = append(d.key, s...)
	case l.bound:
		d.text.WriteString(s)
	}
}

func (d *partialDecoder) emitByte(b byte) {
	switch l := &d.leaf; {
	case l.isKey && !l.silent:
		d.key = append(d.key, b)
	case l.bound:
		d.text.WriteByte(b)
	}
}

func (d *partialDecoder) emitRune(r rune) {
	var b [utf8.UTFMax]byte
	d.emit(string(b[:utf8.EncodeRune(b[:], r)]))
}

func (d *partialDecoder) startRaw(i int) {
	d.raw, d.rawOn, d.rawFrom = d.raw[:0], true, i
}

// endRaw decodes the opaque value that ends at s[end] with encoding/json;
// invalid if it does not fit (a type mismatch deep inside still counts, as
// it does for encoding/json).
func (d *partialDecoder) endRaw(s string, end int, p *plan) reflect.Value {
	d.raw = append(d.raw, s[d.rawFrom:end]...)
	d.rawOn = false
	pv := reflect.New(p.full)
	if err := json.Unmarshal(d.raw, pv.Interface()); err != nil {
		if te := (*json.UnmarshalTypeError)(nil); !errors.As(err, &te) {
			return reflect.Value{}
		}
	}
	return pv.Elem()
}
