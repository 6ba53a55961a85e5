package client_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/mqttlab/mqttlab/protocol"
	"github.com/mqttlab/mqttlab/protocol/client"
)

// A client that subscribes, publishes at QoS 1 and reconnects by itself.
func Example() {
	dial, err := client.Dialer("tcp://127.0.0.1:1883", nil)
	if err != nil {
		log.Fatal(err)
	}
	c, err := client.New(client.Config{
		Dial: dial,
		Connect: protocol.Connect{ClientID: "example", KeepAlive: 30, CleanStart: true,
			Will: &protocol.WillMessage{Topic: "devices/example/status", Payload: []byte("offline"), Retain: true}},
		Reconnect: &client.Reconnect{MaxDelay: 10 * time.Second},
		OnEvent:   func(e client.Event) { log.Println("connection", e.Kind, e.Err) },
	})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.Connect(ctx); err != nil {
		log.Fatal(err)
	}
	err = c.SubscribeTopic(ctx, "sensors/+/temp", protocol.QoS1, func(m *client.Message) {
		fmt.Printf("%s: %s\n", m.Topic, m.Payload)
	})
	if err != nil {
		log.Fatal(err)
	}
	err = c.Publish(ctx, &client.Message{Topic: "sensors/k1/temp", QoS: protocol.QoS1, Payload: []byte("21.5")})
	if err != nil {
		log.Printf("refused with reason code %v: %v", protocol.ReasonCodeOf(err), err)
	}
}
