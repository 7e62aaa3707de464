// KeyAge
