module example.com/full

go 1.22
