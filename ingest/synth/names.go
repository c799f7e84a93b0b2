package synth

// Name lists for synthetic people. Every string must exist in Windows-1252
// (the Nazorg Noord export is written in it); a test checks this. The lists
// mix common Dutch surnames, surnames with prefixes (tussenvoegsels) and
// names with accents, as Dutch registrations hold them. Order matters: the
// generator draws by index, so changing a list changes the demo data.
var surnames = []string{
	"de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
	"Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
	"Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf",
	"van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van der Heijden", "van der Berg",
	"Schouten", "van Beek", "Willems", "van Vliet", "van de Ven", "Hoekstra", "Maas", "Verhoeven",
	"Koster", "van Dam", "van der Wal", "Prins", "Blom", "Huisman", "Peeters", "de Bruijn",
	"Postma", "Kuipers", "van 't Hof", "in 't Veld", "ter Horst", "ten Brink", "van Os", "Kramer",
	"Bosman", "van Wijk", "Scholten", "Post", "Hermans", "Evers", "van Rijn", "Veenstra",
	"Müller", "Çelik", "Öztürk", "Eén", "Brontë", "Lefèvre", "Gonçalves", "Jürgens",
	"Dröge", "Hoëlscher", "Düzgün", "Åkerman", "Sørensen", "Núñez", "Señorans", "Ébrard",
	"Yilmaz", "Kaya", "Demir", "Aydin", "Arslan", "Gündüz", "El Amrani", "Bouzid",
	"El Idrissi", "Benali", "Ouali", "Ramdin", "Soekhai", "Martina", "Pinas", "Nguyen",
	"Le", "Tran", "Kowalski", "Nowak", "Wójcik", "Popescu", "Ionescu", "Ahmadi",
	"Mohammadi", "Haile", "Tesfay", "Osman", "Diallo", "Santos", "da Silva", "de la Cruz",
}

var firstNamesM = []string{
	"Jan", "Pieter", "Kees", "Mohamed", "Ahmed", "Mustafa", "Daan", "Sem", "Lucas", "Thomas",
	"Bram", "Ruben", "Mehmet", "Emre", "Ömer", "Noël", "René", "André", "François", "Jürgen",
	"Søren", "Youssef", "Bilal", "Dennis", "Marco", "Sander", "Kevin", "Rachid", "Tarik", "Jeroen",
	"Stefan", "Ricardo", "Giovanni", "Dewi", "Anil", "Piotr", "Tomasz", "Ion", "Yonas", "Abdi",
}

var firstNamesV = []string{
	"Anna", "Sanne", "Fatima", "Ayse", "Özlem", "Zoë", "Chloë", "Hélène", "Désirée", "Inês",
	"Emma", "Julia", "Lisa", "Naima", "Samira", "Yasmina", "Priya", "Shanti", "Maria", "Linda",
	"Monique", "Sandra", "Esther", "Kim", "Demi", "Chantal", "Marloes", "Renée", "Agnieszka", "Ioana",
	"Selam", "Hodan", "Amal", "Nadia", "Mirjam", "Petra", "Ilse", "Wendy", "Maaike", "Saskia",
}

var streets = []string{
	"Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenweg", "Schoolstraat", "Julianastraat", "Beatrixlaan",
	"Wilhelminastraat", "Oranjestraat", "Nieuwstraat", "Parallelweg", "Kastanjelaan", "Eikenlaan", "Industrieweg",
	"Prins Bernhardstraat", "Burgemeester de Withstraat", "Van 't Hoffstraat",
}

var cities = []string{
	"Groningen", "Assen", "Leeuwarden", "Zwolle", "Emmen", "Hoogeveen", "Meppel", "Drachten", "Veendam", "Stadskanaal",
}
