module github.com/mqttlab/mqttlab

go 1.26
