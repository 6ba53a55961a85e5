// Package fleet runs virtual MQTT devices: the per-device engine that
// decides what each device publishes, when, and how it reacts to commands,
// for the fleets of a scenario (package scenario) and their value models
// (package model).
//
// The engine does no networking. A runner owns the connections and one
// scheduler (a timer heap or wheel) for all devices — Runner is that
// runner, in-process against our broker or against any broker over the
// network (RUNNER.md beside this file) — and drives each Device through a
// small lifecycle:
//
//	d := fleet.NewDevice(f, i)        // or fleet.NewDevices(f): all in one allocation
//	d.Start(now)                      // Offline, due to connect within the fleet's ramp
//	loop, at d.Due():
//	    act, msg := d.Tick(now, buf)  // buf reused; msg.Buf is the buffer to keep
//	    ActionConnect:    CONNECT with d.Connect() (client id, session, will),
//	                      SUBSCRIBE to d.Subscriptions(), publish d.Birth(buf)
//	    ActionPublish:    publish msg (msg.Publish(version) builds the packet)
//	    ActionDisconnect: publish d.Goodbye(buf), then DISCONNECT
//	    ActionDrop:       close the connection without DISCONNECT (the will fires)
//	    ActionNone:       nothing; reschedule at d.Due()
//	on a PUBLISH to one of the subscriptions:
//	    reply, act, err := d.HandleCommand(now, pkt)
//	    publish reply if non-nil, then carry out act as above
//	d.Stop()                          // never due again
//
// After any call, reposition the device in the scheduler at Due(). A
// device is Offline until its connect is due, Online while it publishes,
// and Offline again between a churn (or an offline or reboot command) and
// its return. The engine assumes an ActionConnect succeeds; a runner
// whose connection fails keeps retrying on its own and may drop the
// publishes meanwhile.
//
// Design for scale: a Device is a fixed struct plus a few float64 slots
// per field (about 150 bytes for the load scenario's devices, see
// BenchmarkDeviceMemory); it holds no goroutine, timer, connection or
// buffer. Tick writes topic and payload into the caller's buffer and does
// not allocate. Values are computed at the tick's scheduled time, not at
// the moment Tick runs, so a late scheduler changes nothing but latency;
// a device late by more than an interval skips the missed publishes.
//
// Determinism: each device's generator is a PCG seeded from the scenario
// seed, the fleet name and the device index, and the models read time as
// seconds since Start. With the same seed and the same sequence of Tick
// times and commands, a device publishes the same payloads (timestamps
// aside, which are the tick times).
//
// Commands arrive as JSON ({"cmd":"setpoint","value":21.5}) or as a line
// of words (setpoint 21.5): setpoint [field] value, interval duration,
// reboot, offline [duration] [drop], online, status. Replies are JSON
// (see Reply), sent to the request's response topic with its correlation
// data (MQTT 5) or to the fleet's reply topic; an unknown or malformed
// command gets an error reply and changes nothing.
package fleet
