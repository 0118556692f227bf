// Command recommend_book is the seed's program (being written).
package main

func main() {}
