package model

import (
	"math"
	"sort"
)

// EarthRadius is the mean radius of the Earth in metres, used for
// distances along GPS tracks.
const EarthRadius = 6_371_008.8

// GPS moves along a path of waypoints at Speed metres per second. A
// looping track returns from the last waypoint to the first; an open one
// goes back and forth. Positions between waypoints are interpolated
// linearly in latitude and longitude, which is exact enough over the
// hundreds of metres to kilometres between waypoints of a delivery route.
//
// Next returns the distance travelled; Position turns it into latitude,
// longitude and heading. State: [starting distance along the path].
type GPS struct {
	Lat, Lon []float64 // waypoints in degrees; a looping path closes itself
	Speed    float64   // metres per second
	Loop     bool
	Spread   bool      // each device starts at its own point of the path
	cum      []float64 // distance from the first waypoint to each point, one more than the waypoints when looping
	length   float64   // metres along the path (one way)
}

// NewGPS returns a track through the waypoints lat[i], lon[i].
func NewGPS(lat, lon []float64, speed float64, loop, spread bool) *GPS {
	g := &GPS{Lat: lat, Lon: lon, Speed: speed, Loop: loop, Spread: spread}
	n := len(lat)
	if loop && n > 1 {
		g.Lat = append(lat[:n:n], lat[0])
		g.Lon = append(lon[:n:n], lon[0])
	}
	g.cum = make([]float64, len(g.Lat))
	for i := 1; i < len(g.Lat); i++ {
		g.cum[i] = g.cum[i-1] + Distance(g.Lat[i-1], g.Lon[i-1], g.Lat[i], g.Lon[i])
	}
	if len(g.cum) > 0 {
		g.length = g.cum[len(g.cum)-1]
	}
	return g
}

// Length returns the path length in metres (one way; a looping path
// includes the way back to the first waypoint).
func (g *GPS) Length() float64 { return g.length }

// Kind returns KindGPS.
func (*GPS) Kind() Kind { return KindGPS }

// Slots returns 1.
func (*GPS) Slots() int { return 1 }

// Init draws where along the path the device starts.
func (g *GPS) Init(s []float64, r *Rand) {
	s[0] = 0
	if g.Spread {
		s[0] = r.Range(0, g.length)
	}
}

// Next returns the distance travelled at elapsed time t.
func (g *GPS) Next(s []float64, t float64, _ *Rand) float64 { return s[0] + g.Speed*t }

// Position returns the latitude, longitude and heading (degrees clockwise
// from north) after travelling d metres from the first waypoint.
func (g *GPS) Position(d float64) (lat, lon, heading float64) {
	if len(g.Lat) == 0 {
		return 0, 0, 0
	}
	if g.length <= 0 || math.IsNaN(d) || math.IsInf(d, 0) {
		return g.Lat[0], g.Lon[0], 0
	}
	backward := false
	if g.Loop {
		d = math.Mod(d, g.length)
		if d < 0 {
			d += g.length
		}
	} else {
		d = math.Mod(d, 2*g.length)
		if d < 0 {
			d += 2 * g.length
		}
		if d > g.length {
			d, backward = 2*g.length-d, true
		}
	}
	// Segment i runs from waypoint i to i+1.
	i := sort.SearchFloat64s(g.cum, d) - 1
	if i < 0 {
		i = 0
	}
	for i < len(g.cum)-2 && g.cum[i+1]-g.cum[i] == 0 {
		i++ // skip repeated waypoints
	}
	if i > len(g.cum)-2 {
		i = len(g.cum) - 2
	}
	seg := g.cum[i+1] - g.cum[i]
	f := 0.0
	if seg > 0 {
		f = (d - g.cum[i]) / seg
	}
	lat = g.Lat[i] + f*(g.Lat[i+1]-g.Lat[i])
	lon = g.Lon[i] + f*(g.Lon[i+1]-g.Lon[i])
	heading = Bearing(g.Lat[i], g.Lon[i], g.Lat[i+1], g.Lon[i+1])
	if backward {
		heading = math.Mod(heading+180, 360)
	}
	return lat, lon, heading
}

// Distance returns the great-circle distance in metres between two points
// given in degrees (haversine).
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp := p2 - p1
	dl := (lon2 - lon1) * math.Pi / 180
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * EarthRadius * math.Asin(math.Min(1, math.Sqrt(a)))
}

// Bearing returns the initial bearing in degrees [0, 360) from the first
// point toward the second.
func Bearing(lat1, lon1, lat2, lon2 float64) float64 {
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dl := (lon2 - lon1) * math.Pi / 180
	y := math.Sin(dl) * math.Cos(p2)
	x := math.Cos(p1)*math.Sin(p2) - math.Sin(p1)*math.Cos(p2)*math.Cos(dl)
	b := math.Atan2(y, x) * 180 / math.Pi
	if b < 0 {
		b += 360
	}
	return b
}
