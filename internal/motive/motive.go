// Package motive names why a customer engages a brand. The set is the wire
// schema's Motive enum (proto/outsidein/v1); this package gives it the
// lower-case names that the classifier, the metrics, the APIs and labelled
// data use, and an order in which a motive is also an index (Discounts is 0).
package motive

import (
	"errors"
	"fmt"
	"strings"

	pb "github.com/outsidein/outsidein/proto/outsidein/v1"
)

// Motive is one reason a customer engages a brand. Its value is its position
// in All, one less than its number in the wire enum; the zero value is
// Discounts.
type Motive uint8

// The motives, derived from the wire enum.
const (
	Discounts   = Motive(pb.Motive_MOTIVE_DISCOUNTS - 1)
	Information = Motive(pb.Motive_MOTIVE_INFORMATION - 1)
	Community   = Motive(pb.Motive_MOTIVE_COMMUNITY - 1)
	Service     = Motive(pb.Motive_MOTIVE_SERVICE - 1)
	None        = Motive(pb.Motive_MOTIVE_NONE - 1)
)

// Count is the number of motives; arrays indexed by Motive have this length.
const Count = int(pb.Motive_MOTIVE_NONE)

// All lists the motives in display order: the engagement motives, then None.
var All = func() (all [Count]Motive) {
	for i := range all {
		all[i] = Motive(i)
	}
	return all
}()

// names are the lower-case names, from the enum's value names
// (MOTIVE_DISCOUNTS -> discounts).
var names = func() (n [Count]string) {
	for i := range n {
		v, ok := pb.Motive_name[int32(i+1)]
		if !ok {
			panic(fmt.Sprintf("motive: the wire enum has no value %d", i+1))
		}
		n[i] = strings.ToLower(strings.TrimPrefix(v, "MOTIVE_"))
	}
	return n
}()

// Names returns the motives' names in display order.
func Names() []string { return append([]string(nil), names[:]...) }

// String returns the motive's name, e.g. "discounts".
func (m Motive) String() string {
	if int(m) < Count {
		return names[m]
	}
	return fmt.Sprintf("motive(%d)", uint8(m))
}

// Proto returns the motive as the wire enum.
func (m Motive) Proto() pb.Motive { return pb.Motive(m) + 1 }

// FromProto returns the motive of a wire enum value; an unspecified or
// unknown value is None.
func FromProto(p pb.Motive) Motive {
	if p < 1 || int(p) > Count {
		return None
	}
	return Motive(p - 1)
}

// ErrUnknown reports a name that is not a motive's.
var ErrUnknown = errors.New("unknown motive")

// Parse returns the motive named s, exactly as String writes it.
func Parse(s string) (Motive, error) {
	for i, n := range names {
		if n == s {
			return Motive(i), nil
		}
	}
	return None, fmt.Errorf("%w %q (want one of %s)", ErrUnknown, s, strings.Join(names[:], ", "))
}

// MarshalText writes the motive's name, so JSON carries "service".
func (m Motive) MarshalText() ([]byte, error) {
	if int(m) >= Count {
		return nil, fmt.Errorf("%w: %d", ErrUnknown, uint8(m))
	}
	return []byte(names[m]), nil
}

// UnmarshalText reads a motive's name.
func (m *Motive) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}
