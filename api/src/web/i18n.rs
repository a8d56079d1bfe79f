//! Every string of the web app in Indonesian (the default) and English, in
//! one table, and Indonesian or English formatting of numbers and dates.

/// The language a page is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Bahasa Indonesia (the default).
    Id,
    /// English.
    En,
}

impl Lang {
    /// From a `lang` parameter or cookie value; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "id" => Some(Self::Id),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The BCP 47 tag (`lang` attribute, cookie value).
    pub fn code(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::En => "en",
        }
    }

    /// The other language (the switch offers it).
    pub fn other(self) -> Self {
        match self {
            Self::Id => Self::En,
            Self::En => Self::Id,
        }
    }

    /// `m` in this language.
    pub fn t(self, m: Msg) -> &'static str {
        m.text(self)
    }
}

macro_rules! messages {
    ($($name:ident => $id:literal, $en:literal;)*) => {
        /// A user-interface string; [`Msg::text`] gives it in a language.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $(
            #[doc = $en]
            $name
        ),* }

        impl Msg {
            /// The string in `lang`.
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$name, Lang::Id) => $id, (Msg::$name, Lang::En) => $en,)*
                }
            }
        }
    };
}

messages! {
    Tagline => "Berbagi praktik baik antardaerah", "Good practices shared between regions";
    SkipToContent => "Langsung ke isi", "Skip to content";
    MainNav => "Menu utama", "Main menu";
    NavSearch => "Cari praktik", "Search practices";
    NavGuru => "Cari guru", "Find a guru";
    NavPlan => "Rencana kunjungan", "Plan a visit";
    NavCoop => "Koordinator kerja sama", "Cooperation coordinators";
    SwitchTo => "English", "Bahasa Indonesia";
    FooterApi => "Semua data di halaman ini berasal dari API GraphQL publik Berguru.", "Everything on these pages comes from Berguru's public GraphQL API.";
    FooterGraphiql => "Jelajahi API (GraphiQL)", "Explore the API (GraphiQL)";
    SearchTitle => "Cari praktik baik", "Search good practices";
    SearchIntro => "Cari inovasi daerah yang bisa dipelajari dan diadopsi. Salah ketik dimaafkan, misalnya “e-ofice”.", "Find regional innovations to learn from and adopt. Typos are forgiven, e.g. “e-ofice”.";
    Keywords => "Kata kunci", "Keywords";
    SearchButton => "Cari", "Search";
    Filters => "Saringan", "Filters";
    Sector => "Sektor", "Sector";
    Province => "Provinsi", "Province";
    RegionKind => "Jenis daerah", "Kind of region";
    Status => "Status", "Status";
    LookingForAdopters => "Mencari pengadopsi", "Looking for adopters";
    Measured => "Punya hasil terukur", "Has measured outcomes";
    Sort => "Urutkan", "Sort by";
    SortRelevance => "Paling relevan", "Most relevant";
    SortProven => "Paling terbukti", "Most proven";
    SortVerified => "Terbaru diverifikasi", "Recently verified";
    Apply => "Terapkan", "Apply";
    ClearFilters => "Hapus saringan", "Clear filters";
    PracticesFound => "praktik ditemukan", "practices found";
    NoResults => "Tidak ada praktik yang cocok. Coba kata lain atau hapus saringan.", "No practice matches. Try other words or clear the filters.";
    NextPage => "Hasil berikutnya", "Next results";
    ShareHint => "Alamat halaman ini memuat pencarian dan saringannya: salin untuk membagikan hasil ini.", "This page's address holds the search and its filters: copy it to share these results.";
    CopyLink => "Salin tautan", "Copy link";
    Copied => "Tautan disalin", "Link copied";
    Owner => "Pemilik", "Owner";
    Results => "Hasil", "Results";
    Summary => "Ringkasan", "Summary";
    Evidence => "Bukti dan hasil", "Evidence and outcomes";
    Metric => "Ukuran", "Metric";
    Baseline => "Awal", "Baseline";
    Achieved => "Capaian", "Achieved";
    Change => "Perubahan", "Change";
    Source => "Sumber", "Source";
    NoOutcomes => "Belum ada hasil terukur yang tercatat.", "No measured outcome recorded yet.";
    Agreements => "Kesepakatan", "Agreements";
    AdoptersByStage => "Pengadopsi menurut tahap", "Adopters by stage";
    NoAdopters => "Belum ada daerah yang mengadopsi.", "No region has adopted it yet.";
    Visits => "Kunjungan", "Visits";
    NoVisits => "Belum ada kunjungan.", "No visit yet.";
    Contact => "Kontak", "Contact";
    NoContact => "Hubungi daerah pemilik.", "Ask the owning region.";
    Links => "Tautan", "Links";
    LessonsLearned => "Pelajaran", "Lessons learned";
    YearStarted => "Mulai", "Started";
    Maturity => "Kematangan", "Maturity";
    Form => "Bentuk", "Form";
    LastVerified => "Terakhir diverifikasi", "Last verified";
    Stage => "Tahap", "Stage";
    SignedOn => "Ditandatangani", "Signed";
    ValidUntil => "Berlaku sampai", "Valid until";
    Parties => "Para pihak", "Parties";
    Title => "Judul", "Title";
    FindGuruOn => "Cari guru untuk topik ini", "Find a guru on this topic";
    Profile => "Profil", "Profile";
    Capital => "Ibu kota", "Capital";
    Population => "Penduduk", "Population";
    Area => "Luas", "Area";
    Density => "Kepadatan", "Density";
    Elevation => "Ketinggian", "Elevation";
    Coordinates => "Koordinat", "Coordinates";
    Indices => "Indeks", "Indices";
    Year => "Tahun", "Year";
    Spbe => "Indeks SPBE", "SPBE index";
    Ipp => "Indeks Pelayanan Publik", "Public service index";
    Innovation => "Indeks Inovasi Daerah", "Regional innovation index";
    NoIndices => "Belum ada indeks yang tercatat.", "No index recorded yet.";
    Practices => "Praktik", "Practices";
    NoPractices => "Belum ada praktik yang tercatat.", "No practice recorded yet.";
    PartnerCategories => "Kesepakatan menurut kategori mitra", "Agreements by partner category";
    WithinProvince => "Dalam provinsi", "Within the province";
    OtherProvinces => "Provinsi lain", "Other provinces";
    OutsideProvince => "Kabupaten/kota provinsi lain", "Regencies and cities of other provinces";
    ThirdParties => "Pihak ketiga", "Third parties";
    Total => "Jumlah", "Total";
    Figures => "Angka", "Figures";
    PracticesOwned => "Praktik dimiliki", "Practices owned";
    TransfersGiven => "Alih praktik diberikan", "Transfers given";
    TransfersReceived => "Alih praktik diterima", "Transfers received";
    VisitsHosted => "Kunjungan diterima", "Visits hosted";
    VisitsMade => "Kunjungan dilakukan", "Visits made";
    SeeCooperation => "Lihat alur kerja sama daerah ini", "See this region's cooperation pipeline";
    GuruTitle => "Cari guru", "Find a guru";
    GuruIntro => "Daerah mana yang paling tepat untuk dipelajari? Pilih daerah Anda dan topiknya; Berguru menimbang relevansi, bukti, alih praktik yang terbukti, kemiripan daerah dan jarak.", "Which region is best to learn from? Choose your region and the topic; Berguru weighs relevance, evidence, proven transfers, likeness and distance.";
    Seeker => "Daerah Anda (pencari)", "Your region (seeker)";
    Topic => "Topik", "Topic";
    TopicHint => "misalnya e-office, desa digital", "e.g. e-office, village digitalisation";
    FindButton => "Cari guru", "Find gurus";
    Score => "Skor", "Score";
    Reasons => "Alasan", "Reasons";
    Factor => "Faktor", "Factor";
    Chart => "Grafik", "Chart";
    ReasonRelevance => "{} praktik cocok dengan topik", "{} practices match the topic";
    ReasonEvidence => "{} dari {} praktik punya hasil terukur", "{} of {} practices have measured outcomes";
    ReasonTransfers => "{} adopsi selesai, {} kesepakatan ditandatangani, {} kunjungan diterima, {} adopsi berjalan", "{} adoptions completed, {} signed agreements, {} visits hosted, {} adoptions under way";
    ReasonLikeness => "{}% mirip dengan daerah Anda", "{}% alike your region";
    ReasonDistance => "{} km dari daerah Anda (garis lurus antaribu kota)", "{} km from your region (straight line between capitals)";
    Contribution => "Sumbangan pada skor", "Contribution to the score";
    MoreFilters => "Lainnya", "More";
    Distance => "Jarak", "Distance";
    BehindSeeker => "Indeks topik ini di bawah indeks daerah Anda", "Its index on this topic is below yours";
    NoGurus => "Tidak ada guru untuk topik ini.", "No guru for this topic.";
    GuruMap => "Peta guru: titik lebih besar berarti skor lebih tinggi", "Map of gurus: a larger point is a higher score";
    PlanWith => "Rencanakan kunjungan untuk topik ini", "Plan a visit on this topic";
    MatchingPractices => "Praktik yang cocok", "Matching practices";
    PlanTitle => "Rencana kunjungan kerja", "Plan a benchmarking visit";
    PlanIntro => "Berguru menyusun tuan rumah terbaik, rute terpendek dan jadwal hariannya. Tidak ada yang disimpan sampai Anda menyimpannya.", "Berguru picks the best hosts, the shortest route and the day schedule. Nothing is saved until you save it.";
    Topics => "Topik (satu per kolom)", "Topics (one per field)";
    From => "Dari tanggal", "From";
    To => "Sampai tanggal", "To";
    MaxHosts => "Tuan rumah paling banyak", "At most this many hosts";
    TravelMode => "Moda perjalanan", "Travel mode";
    MakePlan => "Susun rencana", "Make the plan";
    Route => "Rute", "Route";
    RouteMap => "Peta rute kunjungan", "Map of the visit route";
    Schedule => "Jadwal harian", "Day schedule";
    Day => "Hari", "Day";
    DownloadIcs => "Unduh kalender (.ics)", "Download the calendar (.ics)";
    SavePlan => "Simpan rencana sebagai kunjungan terjadwal", "Save the plan as scheduled visits";
    Token => "Token API (editor daerah Anda)", "API token (an editor of your region)";
    TokenHint => "Tempel sekali: token hanya disimpan di sesi peramban ini (sessionStorage), tidak pernah di server.", "Paste it once: the token is kept in this browser session only (sessionStorage), never on the server.";
    ForgetToken => "Lupakan token", "Forget the token";
    Save => "Simpan", "Save";
    Saved => "Rencana disimpan. Kunjungan terjadwal:", "Plan saved. Visits scheduled:";
    SaveFailed => "Gagal menyimpan:", "Could not save:";
    NeedsJs => "Menyimpan rencana memerlukan JavaScript.", "Saving a plan needs JavaScript.";
    Warnings => "Peringatan", "Warnings";
    TotalDistance => "Jarak total", "Total distance";
    DaysUsed => "Hari terpakai", "Days used";
    Stop => "Persinggahan", "Stop";
    Travel => "Perjalanan", "Travel";
    Minutes => "menit", "minutes";
    Start => "Mulai", "Start";
    End => "Selesai", "End";
    Activity => "Kegiatan", "Activity";
    NoStops => "Tidak ada tuan rumah yang cocok untuk topik ini.", "No host matches these topics.";
    CoopTitle => "Alur kerja sama", "Cooperation pipeline";
    CoopIntro => "Untuk koordinator kerja sama: dari Kesepakatan Bersama sampai PKS dan pelaksanaannya, serta kesepakatan yang perlu dievaluasi atau segera berakhir.", "For cooperation coordinators: from framework agreement to implementing agreement and implementation, and agreements due for evaluation or expiring.";
    Region => "Daerah", "Region";
    Show => "Tampilkan", "Show";
    Pipeline => "Alur", "Pipeline";
    FrameworksSigned => "Kesepakatan Bersama ditandatangani", "Framework agreements signed";
    ReachedPks => "Sampai perjanjian kerja sama (PKS)", "Reached an implementing agreement (PKS)";
    ReachedImplementation => "Sampai pelaksanaan", "Reached implementation";
    Stalled => "Macet: masih Kesepakatan Bersama setelah setahun", "Stalled: still a framework a year after signing";
    ByStage => "Menurut tahap", "By stage";
    WorkPlans => "Rencana kerja terukur", "Measurable work plans";
    PksSigned => "PKS ditandatangani", "Implementing agreements (PKS) signed";
    WithPlan => "dengan indikator terukur", "with measurable indicators";
    TargetsMet => "semua target tercapai", "every target met";
    OffTrackPlans => "ada indikator tertinggal", "an indicator off track";
    DueForEvaluation => "Perlu dievaluasi (tanpa evaluasi enam bulan terakhir)", "Due for evaluation (none in the last six months)";
    Expiring => "Segera berakhir (180 hari)", "Expiring (within 180 days)";
    NoneListed => "Tidak ada.", "None.";
    AsOf => "Per tanggal", "As of";
    Count => "Jumlah", "Count";
    NotFoundTitle => "Tidak ditemukan", "Not found";
    NotFoundText => "Halaman atau data yang Anda cari tidak ada.", "The page or record you asked for does not exist.";
    ErrorTitle => "Permintaan tidak dapat dipenuhi", "The request could not be answered";
    BackToSearch => "Kembali ke pencarian", "Back to search";
    Choose => "Pilih…", "Choose…";
    MapNote => "Titik abu-abu: ibu kota 552 daerah.", "Grey dots: the capitals of the 552 regions.";
}

/// `template` (a [`Msg`] with `{}` holes) with `values` in order.
pub fn fill(template: &str, values: &[String]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut values = values.iter();
    let mut parts = template.split("{}").peekable();
    while let Some(part) = parts.next() {
        out.push_str(part);
        if parts.peek().is_some() {
            out.push_str(values.next().map_or("", String::as_str));
        }
    }
    out
}

/// The label of a GraphQL enum value (`E_GOVERNMENT`, `FRAMEWORK_SIGNED`,
/// ...) in `lang`; an unknown value is shown as sent.
pub fn label(lang: Lang, wire: &str) -> String {
    let pair = match wire {
        // Sector
        "E_GOVERNMENT" => ("E-government / SPBE", "E-government"),
        "SMART_CITY" => ("Kota cerdas", "Smart city"),
        "DATA_AND_STATISTICS" => ("Data dan statistik", "Data and statistics"),
        "ENCRYPTION" => ("Persandian", "Encryption"),
        "CIVIL_SERVICE" => ("Kepegawaian", "Civil service"),
        "BUREAUCRATIC_REFORM" => ("Reformasi birokrasi", "Bureaucratic reform"),
        "PUBLIC_SERVICE" => ("Pelayanan publik", "Public service"),
        "REGIONAL_REVENUE" => ("Pendapatan daerah", "Regional revenue"),
        "VILLAGE_ECONOMY" => ("Ekonomi desa", "Village economy"),
        "TRADE_AND_INDUSTRY" => ("Perdagangan dan industri", "Trade and industry"),
        "SMES" => ("UMKM", "SMEs"),
        "PUBLIC_COMMUNICATION" => ("Komunikasi publik", "Public communication"),
        "REGIONAL_COOPERATION" => ("Kerja sama daerah", "Regional cooperation"),
        "TOURISM" => ("Pariwisata", "Tourism"),
        "HEALTH" => ("Kesehatan", "Health"),
        "EDUCATION" => ("Pendidikan", "Education"),
        "AGRICULTURE" => ("Pertanian", "Agriculture"),
        "ENVIRONMENT" => ("Lingkungan hidup", "Environment"),
        "INFRASTRUCTURE" => ("Infrastruktur", "Infrastructure"),
        "OTHER" => ("Lainnya", "Other"),
        // Region kind
        "PROVINCE" => ("Provinsi", "Province"),
        "REGENCY" => ("Kabupaten", "Regency"),
        "CITY" => ("Kota", "City"),
        // Practice status, form, maturity
        "ACTIVE" => ("Berjalan", "Active"),
        "STOPPED" => ("Berhenti", "Stopped"),
        "GOVERNANCE" => ("Tata kelola pemerintahan", "Governance"),
        "INITIATIVE" => ("Inisiatif", "Initiative"),
        "TRIAL" => ("Uji coba", "Trial"),
        "APPLIED" => ("Diterapkan", "Applied"),
        // Agreement stage
        "PROPOSED" => ("Diusulkan", "Proposed"),
        "UNDER_REVIEW" => ("Dikaji", "Under review"),
        "OFFERED" => ("Ditawarkan", "Offered"),
        "FRAMEWORK_DRAFTED" => ("Draf Kesepakatan Bersama", "Framework drafted"),
        "FRAMEWORK_SIGNED" => ("Kesepakatan Bersama ditandatangani", "Framework signed"),
        "IMPLEMENTING_DRAFTED" => ("Draf PKS", "Implementing agreement drafted"),
        "IMPLEMENTING_SIGNED" => ("PKS ditandatangani", "Implementing agreement signed"),
        "IN_IMPLEMENTATION" => ("Dilaksanakan", "In implementation"),
        "EVALUATED" => ("Dievaluasi", "Evaluated"),
        "ENDED" => ("Berakhir", "Ended"),
        "RENEWED" => ("Diperpanjang", "Renewed"),
        "TERMINATED" => ("Diakhiri", "Terminated"),
        "REJECTED" => ("Ditolak", "Rejected"),
        // Adoption stage
        "INTERESTED" => ("Berminat", "Interested"),
        "PREPARING" => ("Persiapan", "Preparing"),
        "PILOTING" => ("Uji coba", "Piloting"),
        "ADOPTED" => ("Diadopsi", "Adopted"),
        // Guru factors
        "RELEVANCE" => ("Relevansi", "Relevance"),
        "EVIDENCE" => ("Bukti", "Evidence"),
        "TRANSFERS" => ("Alih praktik terbukti", "Proven transfers"),
        "LIKENESS" => ("Kemiripan daerah", "Likeness"),
        "DISTANCE" => ("Jarak", "Distance"),
        "INDICES" => ("Indeks", "Indices"),
        // Travel
        "AUTO" => ("Otomatis", "Automatic"),
        "ROAD" => ("Darat", "Road"),
        "AIR" => ("Udara", "Air"),
        "TRAVEL" => ("Perjalanan", "Travel"),
        "STUDY" => ("Studi", "Study"),
        _ => return wire.to_owned(),
    };
    match lang {
        Lang::Id => pair.0,
        Lang::En => pair.1,
    }
    .to_owned()
}

/// `x` with `decimals` digits after the separator: `1.234,5` in
/// Indonesian, `1,234.5` in English. Trailing zeros are kept.
pub fn number(lang: Lang, x: f64, decimals: usize) -> String {
    let (thousands, point) = match lang {
        Lang::Id => ('.', ','),
        Lang::En => (',', '.'),
    };
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut out = String::new();
    if x < 0.0 && s.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(thousands);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

/// `x` with up to two decimals, trailing zeros dropped (`6,82`, `120`).
pub fn amount(lang: Lang, x: f64) -> String {
    let s = number(lang, x, 2);
    let point = if lang == Lang::Id { ',' } else { '.' };
    match s.split_once(point) {
        Some((int, frac)) => {
            let frac = frac.trim_end_matches('0');
            if frac.is_empty() {
                int.to_owned()
            } else {
                format!("{int}{point}{frac}")
            }
        }
        None => s,
    }
}

/// A whole number with thousands separators.
pub fn int(lang: Lang, n: i64) -> String {
    number(lang, n as f64, 0)
}

const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A `YYYY-MM-DD` date as `1 Desember 2026` (`1 December 2026`); anything
/// else as given.
pub fn date(lang: Lang, iso: &str) -> String {
    use chrono::Datelike;
    let Ok(d) = chrono::NaiveDate::parse_from_str(iso.get(..10).unwrap_or(iso), "%Y-%m-%d") else {
        return iso.to_owned();
    };
    let months = match lang {
        Lang::Id => &MONTHS_ID,
        Lang::En => &MONTHS_EN,
    };
    let month = months.get(d.month0() as usize).copied().unwrap_or_default();
    format!("{} {} {}", d.day(), month, d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_use_the_language_separators() {
        assert_eq!(number(Lang::Id, 1234.5, 1), "1.234,5");
        assert_eq!(number(Lang::En, 1234.5, 1), "1,234.5");
        assert_eq!(number(Lang::Id, 1_234_567.0, 0), "1.234.567");
        assert_eq!(number(Lang::Id, -0.25, 2), "-0,25");
        assert_eq!(number(Lang::Id, -0.001, 1), "0,0");
        assert_eq!(int(Lang::Id, 999), "999");
        assert_eq!(amount(Lang::Id, 6.82), "6,82");
        assert_eq!(amount(Lang::Id, 1200.0), "1.200");
        assert_eq!(amount(Lang::En, 0.5), "0.5");
        assert_eq!(int(Lang::En, 1000), "1,000");
    }

    #[test]
    fn templates_are_filled_in_order() {
        assert_eq!(
            fill(
                Msg::ReasonEvidence.text(Lang::Id),
                &["1".into(), "2".into()]
            ),
            "1 dari 2 praktik punya hasil terukur"
        );
    }

    #[test]
    fn dates_are_written_out() {
        assert_eq!(date(Lang::Id, "2026-12-01"), "1 Desember 2026");
        assert_eq!(date(Lang::En, "2026-12-01"), "1 December 2026");
        assert_eq!(date(Lang::Id, "bukan tanggal"), "bukan tanggal");
    }

    #[test]
    fn every_message_differs_by_language_or_is_a_name() {
        // The switch must change what the page says.
        assert_ne!(Msg::NavSearch.text(Lang::Id), Msg::NavSearch.text(Lang::En));
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
