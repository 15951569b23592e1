package tail

import (
	"encoding/binary"
	"slices"
	"syscall"
	"testing"
)

// encodeEvents lays events out as the kernel does, names NUL-padded to a
// multiple of pad bytes.
func encodeEvents(evs []event, pad int) []byte {
	var b []byte
	for _, e := range evs {
		size := 0
		if e.name != "" {
			size = (len(e.name) + 1 + pad - 1) / pad * pad
		}
		h := make([]byte, syscall.SizeofInotifyEvent)
		binary.NativeEndian.PutUint32(h[0:4], uint32(int32(e.wd)))
		binary.NativeEndian.PutUint32(h[4:8], e.mask)
		binary.NativeEndian.PutUint32(h[12:16], uint32(size))
		b = append(b, h...)
		name := make([]byte, size)
		copy(name, e.name)
		b = append(b, name...)
	}
	return b
}

func TestTailParseEvents(t *testing.T) {
	evs := []event{
		{wd: 1, mask: syscall.IN_MODIFY},
		{wd: 2, mask: syscall.IN_CREATE, name: "job.out"},
		{wd: 2, mask: syscall.IN_DELETE, name: "a name with 19 byte"},
		{wd: -1, mask: syscall.IN_Q_OVERFLOW},
	}
	got, err := parseEvents(encodeEvents(evs, 16))
	if err != nil || !slices.Equal(got, evs) {
		t.Errorf("parseEvents = %v, %v; want %v", got, err, evs)
	}
	raw := encodeEvents(evs[1:2], 16)
	for _, n := range []int{1, 15, 16, len(raw) - 1} {
		if got, err := parseEvents(raw[:n]); err != errShortEvent || len(got) != 0 {
			t.Errorf("parseEvents of %d of %d bytes = %v, %v; want errShortEvent", n, len(raw), got, err)
		}
	}
}

// FuzzParseEvents: any bytes are decoded without panicking, and whole
// events encoded by the kernel's rules come back as they were.
func FuzzParseEvents(f *testing.F) {
	f.Add([]byte{}, int32(1), uint32(2), "job.out")
	f.Add(encodeEvents([]event{{wd: 3, mask: syscall.IN_IGNORED}}, 4), int32(-1), uint32(syscall.IN_Q_OVERFLOW), "")
	f.Add([]byte{1, 2, 3}, int32(7), uint32(0xffffffff), "x\x00y")
	f.Fuzz(func(t *testing.T, junk []byte, wd int32, mask uint32, name string) {
		_, _ = parseEvents(junk)
		for i := 0; i < len(name); i++ {
			if name[i] == 0 {
				name = name[:i] // names cannot hold NULs
				break
			}
		}
		want := []event{{wd: int(wd), mask: mask, name: name}, {wd: 1, mask: 2, name: "z"}}
		got, err := parseEvents(encodeEvents(want, 4))
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("round trip: %v, %v; want %v", got, err, want)
		}
	})
}
