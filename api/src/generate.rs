//! Deterministic synthetic data at national scale, for load tests and
//! benchmarks (`berguru generate`).
//!
//! Everything is drawn from one seeded pseudo-random generator over the 552
//! real regions already in the database, so the same `--seed` and counts give
//! the same rows on SQLite and PostgreSQL. Texts are built from a vocabulary
//! of real Indonesian government terms; agreements follow the legal path of
//! [`crate::domain::agreement::stage::allowed_next`] with realistic proportions
//! (most stall once the framework is signed); adoptions and benchmarking
//! visits follow the agreements that transfer a practice.
//!
//! Rows are written in multi-row `INSERT`s inside one transaction; the search
//! index is rebuilt afterwards by the caller (`search_sync::reindex`), not
//! through the outbox.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use entity::*;
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait,
    PaginatorTrait, Statement, TransactionTrait,
};
use uuid::Uuid;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Number of practices.
    pub practices: usize,
    /// Number of agreements (frameworks, implementing agreements and renewals).
    pub agreements: usize,
    /// Seed of the pseudo-random generator: same seed, same data.
    pub seed: u64,
    /// Delete every practice, agreement, adoption, visit, region index, audit
    /// entry and outbox row first (regions and API tokens are kept).
    pub replace: bool,
    /// Load the demo data set from the articles first, so the demo questions
    /// (Lebak looking for e-Office, ...) still have their answers.
    pub with_demo: bool,
}

/// What was written, and how long it took.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub practices: usize,
    pub sectors: usize,
    pub outcomes: usize,
    pub agreements: usize,
    pub parties: usize,
    pub agreement_practices: usize,
    pub stage_changes: usize,
    pub adoptions: usize,
    pub visits: usize,
    pub visit_practices: usize,
    pub region_indices: usize,
    pub elapsed: Duration,
}

impl Report {
    /// All rows written.
    pub fn rows(&self) -> usize {
        self.practices
            + self.sectors
            + self.outcomes
            + self.agreements
            + self.parties
            + self.agreement_practices
            + self.stage_changes
            + self.adoptions
            + self.visits
            + self.visit_practices
            + self.region_indices
    }
}

/// Why generation refused or failed. Nothing is written in either case (one
/// transaction).
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error(
        "the database already holds {practices} practices and {agreements} agreements; \
         pass --replace to delete them (and their adoptions, visits, indices and audit trail) first"
    )]
    NotEmpty { practices: u64, agreements: u64 },
    #[error("{0}")]
    BadOptions(String),
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

/// Rows per multi-row `INSERT`: below SQLite's 32,766 and PostgreSQL's
/// 65,535 bound parameters for the widest table (20 columns).
const CHUNK: usize = 1000;

/// The day the synthetic world ends: nothing is dated after it, so signing
/// dates are in the past and the data does not depend on today's date.
fn horizon() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 31).unwrap_or_default()
}

/// splitmix64: tiny, fast and good enough for synthetic data; no dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x9e37_79b9_7f4a_7c15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }
    pub fn range(&mut self, lo: i64, hi_inclusive: i64) -> i64 {
        lo + self.below((hi_inclusive - lo + 1) as usize) as i64
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// An index drawn with the given weights.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut r = self.below(total as usize) as u32;
        for (i, w) in weights.iter().enumerate() {
            if r < *w {
                return i;
            }
            r -= w;
        }
        weights.len() - 1
    }
    /// A random (version 4 shaped) UUID from the stream.
    pub fn uuid(&mut self) -> Uuid {
        let hi = self.next_u64() as u128;
        let lo = self.next_u64() as u128;
        let raw = (hi << 64) | lo;
        let raw = (raw & !(0xf << 76)) | (0x4 << 76);
        let raw = (raw & !(0x3 << 62)) | (0x2 << 62);
        Uuid::from_u128(raw)
    }
}

/// Draws an index in `0..cumulative.len()` by cumulative weights.
fn draw(rng: &mut Rng, cumulative: &[f64]) -> usize {
    let total = cumulative.last().copied().unwrap_or(0.0);
    let r = rng.unit() * total;
    cumulative
        .partition_point(|c| *c <= r)
        .min(cumulative.len() - 1)
}

/// A topic a practice can be about: its words, sectors, form and the
/// outcome it is measured by.
struct Topic {
    name: &'static str,
    sectors: &'static [Sector],
    form: PracticeForm,
    digital: bool,
    what: &'static str,
    metric: &'static str,
    unit: &'static str,
    /// Typical baseline and the relative change a good practice achieves.
    baseline: (f64, f64),
    change: f64,
}

#[allow(clippy::too_many_arguments)]
const fn t(
    name: &'static str,
    sectors: &'static [Sector],
    form: PracticeForm,
    digital: bool,
    what: &'static str,
    metric: &'static str,
    unit: &'static str,
    baseline: (f64, f64),
    change: f64,
) -> Topic {
    Topic {
        name,
        sectors,
        form,
        digital,
        what,
        metric,
        unit,
        baseline,
        change,
    }
}

use PracticeForm::{Governance as Gov, PublicService as Svc};
use Sector as S;

#[rustfmt::skip]
const TOPICS: &[Topic] = &[
    t("e-Office", &[S::EGovernment, S::BureaucraticReform], Gov, true,
      "persuratan dan naskah dinas elektronik antarperangkat daerah",
      "waktu disposisi surat", "hari", (3.0, 7.0), -0.7),
    t("Tanda Tangan Elektronik", &[S::EGovernment, S::Encryption], Gov, true,
      "tanda tangan elektronik tersertifikasi BSrE untuk dokumen dinas",
      "dokumen ditandatangani elektronik", "persen", (5.0, 20.0), 3.0),
    t("Satu Data Daerah", &[S::DataAndStatistics, S::EGovernment], Gov, true,
      "portal satu data dan walidata perangkat daerah",
      "dataset terbuka", "dataset", (20.0, 120.0), 2.5),
    t("Smart City", &[S::SmartCity, S::EGovernment], Gov, true,
      "pusat komando kota cerdas yang memantau layanan dan CCTV terpadu",
      "layanan terintegrasi di command center", "layanan", (4.0, 15.0), 2.0),
    t("Desa Digital", &[S::VillageEconomy, S::Smes, S::EGovernment], Svc, true,
      "komputer dan aplikasi e-commerce di setiap desa untuk memasarkan produk warga",
      "angka kemiskinan", "persen", (6.0, 14.0), -0.08),
    t("Mal Pelayanan Publik", &[S::PublicService], Svc, false,
      "layanan perizinan dan administrasi kependudukan dalam satu gedung",
      "waktu layanan perizinan", "hari", (7.0, 21.0), -0.6),
    t("Perizinan Online", &[S::PublicService, S::EGovernment], Svc, true,
      "pengajuan dan penerbitan izin usaha secara daring",
      "waktu terbit izin", "hari", (5.0, 14.0), -0.65),
    t("Pengaduan Warga", &[S::PublicCommunication, S::PublicService], Svc, true,
      "kanal pengaduan masyarakat terintegrasi SP4N-LAPOR!",
      "pengaduan ditindaklanjuti", "persen", (40.0, 70.0), 0.35),
    t("Pajak Daerah Online", &[S::RegionalRevenue, S::EGovernment], Svc, true,
      "pembayaran pajak daerah dan retribusi nontunai",
      "pendapatan asli daerah", "miliar rupiah", (80.0, 900.0), 0.18),
    t("Pajak Kendaraan Keliling", &[S::RegionalRevenue, S::PublicService], Svc, false,
      "layanan samsat keliling hingga ke kecamatan",
      "kepatuhan pajak kendaraan", "persen", (55.0, 75.0), 0.15),
    t("Posyandu Digital", &[S::Health], Svc, true,
      "pencatatan tumbuh kembang balita oleh kader posyandu",
      "prevalensi stunting", "persen", (18.0, 35.0), -0.25),
    t("Antrean Puskesmas Online", &[S::Health, S::PublicService], Svc, true,
      "pendaftaran dan antrean puskesmas melalui aplikasi",
      "waktu tunggu pasien", "menit", (60.0, 150.0), -0.5),
    t("Sekolah Digital", &[S::Education], Svc, true,
      "pembelajaran daring dan rapor elektronik di sekolah dasar",
      "sekolah memakai rapor elektronik", "persen", (10.0, 40.0), 1.2),
    t("Perpustakaan Keliling", &[S::Education], Svc, false,
      "mobil perpustakaan yang menjangkau desa terpencil",
      "pengunjung perpustakaan", "orang per tahun", (5000.0, 40000.0), 0.6),
    t("Kartu Tani", &[S::Agriculture], Svc, true,
      "penyaluran pupuk bersubsidi tepat sasaran dengan kartu tani",
      "pupuk bersubsidi tepat sasaran", "persen", (50.0, 75.0), 0.25),
    t("Bank Sampah", &[S::Environment, S::VillageEconomy], Svc, false,
      "bank sampah di tingkat RW yang menukar sampah dengan tabungan",
      "sampah terkelola", "persen", (20.0, 50.0), 0.5),
    t("Desa Wisata", &[S::Tourism, S::VillageEconomy], Svc, false,
      "pengembangan desa wisata berbasis masyarakat",
      "kunjungan wisatawan", "ribu orang", (20.0, 300.0), 0.8),
    t("UMKM Naik Kelas", &[S::Smes, S::TradeAndIndustry], Svc, true,
      "pendampingan dan katalog digital produk UMKM",
      "UMKM masuk pasar daring", "unit", (100.0, 2000.0), 1.5),
    t("Manajemen ASN Digital", &[S::CivilService, S::BureaucraticReform], Gov, true,
      "penilaian kinerja dan presensi aparatur sipil negara secara elektronik",
      "ASN dengan kinerja terukur", "persen", (30.0, 60.0), 0.6),
    t("Reformasi Birokrasi Tematik", &[S::BureaucraticReform], Gov, false,
      "penyederhanaan birokrasi dan zona integritas",
      "unit berpredikat WBK", "unit", (1.0, 6.0), 1.0),
    t("Kerja Sama Daerah", &[S::RegionalCooperation], Gov, false,
      "sekretariat kerja sama daerah yang mengawal kesepakatan hingga PKS",
      "kesepakatan berlanjut ke PKS", "persen", (15.0, 35.0), 0.8),
    t("Jalan Mantap", &[S::Infrastructure], Svc, false,
      "pemeliharaan jalan kabupaten berbasis aduan warga",
      "jalan kondisi mantap", "persen", (55.0, 80.0), 0.15),
];

const PREFIXES: &[&str] = &[
    "Aplikasi",
    "Sistem Informasi",
    "Gerakan",
    "Program",
    "Layanan",
    "Inovasi",
    "Portal",
    "Gerai",
    "Pusat",
];
const BRANDS: &[&str] = &[
    "Terpadu", "Cerdas", "Bersama", "Mandiri", "Prima", "Sigap", "Berdaya", "Juara", "Hebat",
    "Digital", "Bersinar", "Maju",
];
const AGENCIES: &[&str] = &[
    "Dinas Komunikasi dan Informatika",
    "Bagian Pemerintahan Sekretariat Daerah",
    "Badan Perencanaan Pembangunan Daerah",
    "Dinas Penanaman Modal dan PTSP",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Kesehatan",
    "Dinas Pendidikan",
    "Badan Pendapatan Daerah",
    "Dinas Pemberdayaan Masyarakat dan Desa",
    "Badan Kepegawaian dan Pengembangan SDM",
];
const SCOPES: &[&str] = &[
    "pertukaran data dan informasi",
    "peningkatan kapasitas sumber daya manusia",
    "pendampingan penerapan inovasi",
    "alih pengetahuan dan pengalaman (city sharing)",
    "studi banding dan magang aparatur",
    "pemanfaatan aplikasi bersama",
];
const THIRD_PARTIES: &[&str] = &[
    "PT Telkom Indonesia (Persero) Tbk",
    "Universitas Padjadjaran",
    "Institut Teknologi Bandung",
    "Universitas Gadjah Mada",
    "PT Bank Pembangunan Daerah Jawa Barat dan Banten Tbk",
    "PT Pos Indonesia (Persero)",
    "Universitas Hasanuddin",
    "PT Bank Rakyat Indonesia (Persero) Tbk",
];
const CENTRAL: &[&str] = &[
    "Kementerian Dalam Negeri",
    "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
    "Badan Siber dan Sandi Negara",
    "Kementerian Komunikasi dan Digital",
];
const FOREIGN: &[&str] = &[
    "Busan Metropolitan City",
    "Kitakyushu City",
    "Gemeente Rotterdam",
];
const SOURCES: &[&str] = &[
    "Laporan Kinerja Instansi Pemerintah",
    "Badan Pusat Statistik",
    "Laporan Penyelenggaraan Pemerintahan Daerah",
    "Evaluasi SPBE Kementerian PANRB",
];

/// A region as the generator sees it.
struct Place {
    code: String,
    name: String,
    province: String,
    kind: RegionKind,
}

/// One generated practice, remembered for the agreements.
struct Made {
    id: Uuid,
    owner: usize,
    topic: usize,
    title: String,
}

use AgreementStage::*;

/// Paths of a framework agreement (KSB or Nota Kesepakatan), with weights:
/// more than half stop at the signed framework.
#[rustfmt::skip]
const FRAMEWORK_PATHS: &[(u32, &[AgreementStage])] = &[
    (4, &[Proposed]),
    (3, &[Proposed, UnderReview]),
    (2, &[Proposed, UnderReview, Offered]),
    (4, &[Proposed, UnderReview, Offered, FrameworkDrafted]),
    (2, &[Proposed, UnderReview, Rejected]),
    (52, &[Proposed, UnderReview, Offered, FrameworkDrafted, FrameworkSigned]),
    (8, &[Proposed, UnderReview, Offered, FrameworkDrafted, FrameworkSigned, Ended]),
    (2, &[Proposed, UnderReview, Offered, FrameworkDrafted, FrameworkSigned, Terminated]),
    (4, &[Proposed, UnderReview, Offered, FrameworkDrafted, FrameworkSigned, Renewed]),
    (4, &[Proposed, UnderReview, Offered, FrameworkDrafted, FrameworkSigned, ImplementingDrafted]),
    (9, &[Proposed, UnderReview, Offered, FrameworkDrafted, FrameworkSigned, InImplementation]),
    (4, &[Proposed, UnderReview, Offered, FrameworkDrafted, FrameworkSigned, InImplementation, Evaluated]),
    (2, &[Proposed, UnderReview, Offered, FrameworkDrafted, FrameworkSigned, InImplementation, Ended]),
];

/// Paths of an implementing agreement (PKS) under a signed framework.
#[rustfmt::skip]
const PKS_PATHS: &[(u32, &[AgreementStage])] = &[
    (10, &[Proposed, UnderReview, Offered, ImplementingDrafted]),
    (15, &[Proposed, UnderReview, Offered, ImplementingDrafted, ImplementingSigned]),
    (5, &[Proposed, UnderReview, Offered, ImplementingDrafted, Terminated]),
    (45, &[Proposed, UnderReview, Offered, ImplementingDrafted, ImplementingSigned, InImplementation]),
    (15, &[Proposed, UnderReview, Offered, ImplementingDrafted, ImplementingSigned, InImplementation, Evaluated]),
    (10, &[Proposed, UnderReview, Offered, ImplementingDrafted, ImplementingSigned, InImplementation, Ended]),
];

/// A generated agreement, remembered for implementing agreements, renewals,
/// adoptions and visits.
struct Deal {
    id: Uuid,
    guru: usize,
    adopter: Option<usize>,
    parties: Vec<PartyOf>,
    practices: Vec<usize>,
    stage: AgreementStage,
    signed_on: Option<NaiveDate>,
    first_day: NaiveDate,
    /// The day of the last recorded stage.
    last_day: NaiveDate,
    kind: AgreementKind,
    category: AgreementCategory,
}

/// One name out of a list of `&'static str`.
fn pick_name(rng: &mut Rng, names: &[&'static str]) -> &'static str {
    names[rng.below(names.len())]
}

#[derive(Clone)]
enum PartyOf {
    Region(usize),
    Named(&'static str),
}

/// Collects rows of one table; [`Batch::flush`] writes them `CHUNK` rows per
/// statement. Parents are flushed before their children (foreign keys are
/// checked at each statement).
struct Batch<A: sea_orm::ActiveModelTrait> {
    rows: Vec<A>,
    written: usize,
}

impl<A> Batch<A>
where
    A: sea_orm::ActiveModelTrait + Send,
{
    fn new() -> Self {
        Self {
            rows: Vec::with_capacity(CHUNK),
            written: 0,
        }
    }
    fn push(&mut self, row: A) {
        self.rows.push(row);
    }
    fn full(&self) -> bool {
        self.rows.len() >= CHUNK
    }
    async fn flush(&mut self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        let mut rows = std::mem::take(&mut self.rows).into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<A> = rows.by_ref().take(CHUNK).collect();
            self.written += chunk.len();
            <A::Entity as EntityTrait>::insert_many(chunk)
                .exec_without_returning(db)
                .await?;
        }
        Ok(())
    }
}

/// Tables emptied by `--replace`, children first.
const REPLACED_TABLES: &[&str] = &[
    "visit_practices",
    "visits",
    "adoptions",
    "agreement_evaluations",
    "agreement_stage_changes",
    "agreement_practices",
    "agreement_parties",
    "agreements",
    "outcomes",
    "practice_sectors",
    "practices",
    "region_indices",
    "audit_log",
    "search_outbox",
];

/// Fills the database with synthetic data; `progress(done, total)` is called
/// as rows are written (`total` is the number of practices plus agreements).
pub async fn generate(
    db: &DatabaseConnection,
    opts: &Options,
    progress: impl Fn(usize, usize),
) -> Result<Report, GenerateError> {
    let started = Instant::now();
    if opts.practices == 0 && opts.agreements > 0 {
        return Err(GenerateError::BadOptions(
            "agreements transfer practices: --agreements needs --practices > 0".into(),
        ));
    }
    let txn = db.begin().await?;
    let backend = txn.get_database_backend();
    clear_or_check_empty(&txn, opts.replace).await?;
    if opts.with_demo {
        crate::seed::insert_demo(&txn).await?;
    }

    let mut g = Generator::new(&txn, opts, &progress).await?;
    let made = g.practices().await?;
    let deals = g.agreements(&made).await?;
    g.adoptions_and_visits(&deals, &made).await?;
    g.region_indices().await?;
    let (mut report, total) = (g.report, g.total);

    txn.commit().await?;
    // Fresh statistics, so the query planner knows the new sizes.
    db.execute_raw(Statement::from_string(backend, "ANALYZE"))
        .await?;
    progress(total, total);
    report.elapsed = started.elapsed();
    Ok(report)
}

/// With `--replace`, empties the generated tables; otherwise refuses a
/// database that already holds practices or agreements.
async fn clear_or_check_empty(
    txn: &DatabaseTransaction,
    replace: bool,
) -> Result<(), GenerateError> {
    let backend = txn.get_database_backend();
    if replace {
        txn.execute_raw(Statement::from_string(
            backend,
            "UPDATE agreements SET parent_id = NULL, continues_id = NULL",
        ))
        .await?;
        for table in REPLACED_TABLES {
            txn.execute_raw(Statement::from_string(
                backend,
                format!("DELETE FROM {table}"),
            ))
            .await?;
        }
    } else {
        let practices = practice::Entity::find().count(txn).await?;
        let agreements = agreement::Entity::find().count(txn).await?;
        if practices > 0 || agreements > 0 {
            return Err(GenerateError::NotEmpty {
                practices,
                agreements,
            });
        }
    }
    Ok(())
}

/// What every step of [`generate`] shares: the transaction, the one random
/// stream (the steps draw from it in a fixed order: practices, agreements,
/// adoptions and visits, indices), the regions and the report.
struct Generator<'a, P: Fn(usize, usize)> {
    txn: &'a DatabaseTransaction,
    opts: &'a Options,
    progress: &'a P,
    rng: Rng,
    /// The regions, by code.
    places: Vec<Place>,
    /// Indices into `places` by province code.
    by_province: HashMap<String, Vec<usize>>,
    /// Cumulative owner weights of `places`, for [`draw`].
    cumulative: Vec<f64>,
    /// The clock of the synthetic world.
    now: DateTime<Utc>,
    /// Practices plus agreements, for `progress`.
    total: usize,
    report: Report,
}

/// Rows of one practice: the practice, its sectors and outcomes.
struct PracticeRows {
    practices: Batch<practice::ActiveModel>,
    sectors: Batch<practice_sector::ActiveModel>,
    outcomes: Batch<outcome::ActiveModel>,
}

impl PracticeRows {
    async fn flush(&mut self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        self.practices.flush(db).await?;
        self.sectors.flush(db).await?;
        self.outcomes.flush(db).await
    }
}

/// Rows of one agreement: the agreement, its parties, practices and stages.
struct AgreementRows {
    agreements: Batch<agreement::ActiveModel>,
    parties: Batch<agreement_party::ActiveModel>,
    practices: Batch<agreement_practice::ActiveModel>,
    stages: Batch<agreement_stage_change::ActiveModel>,
}

impl AgreementRows {
    async fn flush(&mut self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        self.agreements.flush(db).await?;
        self.parties.flush(db).await?;
        self.practices.flush(db).await?;
        self.stages.flush(db).await
    }
}

/// Rows that follow the agreements: adoptions, visits and visited practices.
struct FollowUpRows {
    adoptions: Batch<adoption::ActiveModel>,
    visits: Batch<visit::ActiveModel>,
    visit_practices: Batch<visit_practice::ActiveModel>,
}

impl FollowUpRows {
    async fn flush(&mut self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        self.adoptions.flush(db).await?;
        self.visits.flush(db).await?;
        self.visit_practices.flush(db).await
    }
}

impl<'a, P: Fn(usize, usize)> Generator<'a, P> {
    /// Loads the regions (sorted by code) and weighs them as owners.
    async fn new(
        txn: &'a DatabaseTransaction,
        opts: &'a Options,
        progress: &'a P,
    ) -> Result<Self, GenerateError> {
        let mut regions = region::Entity::find().all(txn).await?;
        regions.sort_by(|a, b| a.code.cmp(&b.code));
        let places: Vec<Place> = regions
            .iter()
            .map(|r| Place {
                code: r.code.clone(),
                name: r.name.clone(),
                province: r.province_code.clone().unwrap_or_else(|| r.code.clone()),
                kind: r.kind,
            })
            .collect();
        if places.is_empty() {
            return Err(GenerateError::BadOptions(
                "the database has no regions; run `berguru migrate` first".into(),
            ));
        }
        let by_province: HashMap<String, Vec<usize>> =
            places
                .iter()
                .enumerate()
                .fold(HashMap::new(), |mut m, (i, p)| {
                    m.entry(p.province.clone()).or_default().push(i);
                    m
                });
        // Larger regions own more practices: weight by the square root of the
        // population (provinces count as one large region).
        let mut cumulative = Vec::with_capacity(regions.len());
        let mut acc = 0.0;
        for r in &regions {
            acc += (r.population.unwrap_or(100_000).max(10_000) as f64).sqrt();
            cumulative.push(acc);
        }
        Ok(Self {
            txn,
            opts,
            progress,
            rng: Rng::new(opts.seed),
            places,
            by_province,
            cumulative,
            now: Utc
                .with_ymd_and_hms(2026, 10, 31, 12, 0, 0)
                .single()
                .unwrap_or_default(),
            total: opts.practices + opts.agreements,
            report: Report::default(),
        })
    }

    /// Practices, their sectors and outcomes.
    async fn practices(&mut self) -> Result<Vec<Made>, DbErr> {
        let mut made: Vec<Made> = Vec::with_capacity(self.opts.practices);
        let mut rows = PracticeRows {
            practices: Batch::new(),
            sectors: Batch::new(),
            outcomes: Batch::new(),
        };
        for n in 0..self.opts.practices {
            made.push(self.practice(n, &mut rows));
            if rows.practices.full() {
                rows.flush(self.txn).await?;
            }
            if n % 2000 == 1999 {
                (self.progress)(n + 1, self.total);
            }
        }
        rows.flush(self.txn).await?;
        self.report.practices = rows.practices.written;
        self.report.sectors = rows.sectors.written;
        self.report.outcomes = rows.outcomes.written;
        (self.progress)(self.opts.practices, self.total);
        Ok(made)
    }

    /// The `n`th practice with its sectors and outcomes.
    fn practice(&mut self, n: usize, rows: &mut PracticeRows) -> Made {
        let rng = &mut self.rng;
        let owner = draw(rng, &self.cumulative);
        let topic_i = rng.below(TOPICS.len());
        let topic = &TOPICS[topic_i];
        let place = &self.places[owner];
        let title = format!(
            "{} {} {} {}",
            rng.pick(PREFIXES),
            topic.name,
            rng.pick(BRANDS),
            place.name
        );
        let id = rng.uuid();
        let year_started = rng.range(2012, 2025) as i32;
        let active = rng.chance(0.88);
        let maturity = match rng.weighted(&[2, 3, 5]) {
            0 => Maturity::Initiative,
            1 => Maturity::Trial,
            _ => Maturity::Applied,
        };
        let verified = if rng.chance(0.7) {
            Some(horizon() - chrono::Days::new(rng.range(0, 4 * 365) as u64))
        } else {
            None
        };
        let created = self.now - chrono::Duration::days(rng.range(30, 6 * 365));
        let summary = format!(
            "{} {}: {}, dimulai tahun {year_started}.",
            place.name, topic.name, topic.what
        );
        let description = format!(
            "Pemerintah {} menjalankan {} untuk {}. Inovasi ini dikelola {} dan dapat \
             direplikasi daerah lain melalui kerja sama daerah dan studi banding.",
            place.name,
            topic.name,
            topic.what,
            rng.pick(AGENCIES)
        );
        rows.practices.push(practice::ActiveModel {
            id: Set(id),
            slug: Set(format!("{}-{n}", slugify(&title))),
            title: Set(title.clone()),
            summary: Set(summary),
            description: Set(Some(description)),
            owner_region_code: Set(place.code.clone()),
            form: Set(topic.form),
            is_digital: Set(Some(topic.digital)),
            maturity: Set(Some(maturity)),
            status: Set(if active {
                PracticeStatus::Active
            } else {
                PracticeStatus::Stopped
            }),
            last_verified_on: Set(verified),
            year_started: Set(Some(year_started)),
            looking_for_adopters: Set(active && rng.chance(0.4)),
            contact: Set(None),
            links: Set(TextList::default()),
            lessons_learned: Set(None),
            created_at: Set(created),
            updated_at: Set(created),
            version: Set(1),
            archived_at: Set(None),
        });
        let n_sectors = 1 + rng.below(topic.sectors.len());
        for sector in &topic.sectors[..n_sectors] {
            rows.sectors.push(practice_sector::ActiveModel {
                practice_id: Set(id),
                sector: Set(*sector),
            });
        }
        outcomes(rng, id, topic, maturity, year_started, &mut rows.outcomes);
        Made {
            id,
            owner,
            topic: topic_i,
            title,
        }
    }

    /// Agreements: a fifth of the practices draw four fifths of the
    /// interest. Agreements are written after their parents: a PKS refers to
    /// an earlier framework, a renewal to the agreement it renews.
    async fn agreements(&mut self, made: &[Made]) -> Result<Vec<Deal>, DbErr> {
        let mut deals: Vec<Deal> = Vec::with_capacity(self.opts.agreements);
        let mut signed_frameworks: Vec<usize> = Vec::new();
        let mut rows = AgreementRows {
            agreements: Batch::new(),
            parties: Batch::new(),
            practices: Batch::new(),
            stages: Batch::new(),
        };
        let mut renewal_of: Option<usize> = None;
        for n in 0..self.opts.agreements {
            let (mut deal, parent, continues) = if let Some(prev) = renewal_of.take() {
                (self.renewal(&deals[prev]), None, Some(deals[prev].id))
            } else if !signed_frameworks.is_empty() && self.rng.chance(0.3) {
                let parent_i = signed_frameworks[self.rng.below(signed_frameworks.len())];
                let p = &deals[parent_i];
                (self.implementing(p), Some(p.id), None)
            } else {
                (self.framework(made), None, None)
            };
            self.walk_path(&mut deal, continues.is_some(), &mut rows.stages);
            self.agreement_rows(&deal, parent, continues, made, &mut rows);
            if rows.agreements.full() {
                rows.flush(self.txn).await?;
            }
            if deal.kind != AgreementKind::PerjanjianKerjaSama && deal.signed_on.is_some() {
                signed_frameworks.push(deals.len());
            }
            if deal.stage == Renewed && n + 1 < self.opts.agreements {
                renewal_of = Some(deals.len());
            }
            deals.push(deal);
            if n % 2000 == 1999 {
                (self.progress)(self.opts.practices + n + 1, self.total);
            }
        }
        rows.flush(self.txn).await?;
        self.report.agreements = rows.agreements.written;
        self.report.parties = rows.parties.written;
        self.report.agreement_practices = rows.practices.written;
        self.report.stage_changes = rows.stages.written;
        Ok(deals)
    }

    /// The renewal of `p`, negotiated from the day `p` was renewed.
    fn renewal(&mut self, p: &Deal) -> Deal {
        let first_day = p.last_day;
        Deal {
            id: self.rng.uuid(),
            guru: p.guru,
            adopter: p.adopter,
            parties: p.parties.clone(),
            practices: p.practices.clone(),
            stage: FrameworkSigned,
            signed_on: None,
            first_day,
            last_day: first_day,
            kind: p.kind,
            category: p.category,
        }
    }

    /// An implementing agreement (PKS) under the signed framework `p`.
    fn implementing(&mut self, p: &Deal) -> Deal {
        let rng = &mut self.rng;
        let first_day =
            p.signed_on.unwrap_or(p.first_day) + chrono::Days::new(rng.range(30, 400) as u64);
        Deal {
            id: rng.uuid(),
            guru: p.guru,
            adopter: p.adopter,
            parties: p.parties.clone(),
            practices: p.practices.clone(),
            stage: Proposed,
            signed_on: None,
            first_day: first_day.min(horizon()),
            last_day: first_day.min(horizon()),
            kind: AgreementKind::PerjanjianKerjaSama,
            category: p.category,
        }
    }

    /// A new framework agreement transferring one practice (sometimes a
    /// second of the same guru), popular practices first.
    fn framework(&mut self, made: &[Made]) -> Deal {
        let popular = (made.len() / 5).max(1);
        let rng = &mut self.rng;
        let first = if rng.chance(0.8) {
            rng.below(popular)
        } else {
            rng.below(made.len())
        };
        let guru = made[first].owner;
        let category = match rng.weighted(&[80, 13, 5, 2]) {
            0 => AgreementCategory::BetweenRegions,
            1 => AgreementCategory::ThirdParty,
            2 => AgreementCategory::CentralGovernment,
            _ => AgreementCategory::ForeignParty,
        };
        let (adopter, second_party) = self.partner(guru, category);
        let rng = &mut self.rng;
        // Usually one practice; sometimes a second of the same guru.
        let mut practices = vec![first];
        if rng.chance(0.25) {
            let second = rng.below(made.len());
            if made[second].owner == guru && second != first {
                practices.push(second);
            }
        }
        let kind = match category {
            AgreementCategory::BetweenRegions => AgreementKind::KesepakatanBersama,
            _ => AgreementKind::NotaKesepakatan,
        };
        let first_day = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or_default()
            + chrono::Days::new(rng.range(0, 11 * 365 + 100) as u64);
        Deal {
            id: rng.uuid(),
            guru,
            adopter,
            parties: vec![PartyOf::Region(guru), second_party],
            practices,
            stage: Proposed,
            signed_on: None,
            first_day,
            last_day: first_day,
            kind,
            category,
        }
    }

    /// The guru's partner in a new framework: another region (the adopter),
    /// or a named third party, ministry or foreign party.
    fn partner(&mut self, guru: usize, category: AgreementCategory) -> (Option<usize>, PartyOf) {
        let rng = &mut self.rng;
        match category {
            AgreementCategory::BetweenRegions => {
                let same_province = &self.by_province[self.places[guru].province.as_str()];
                let mut other = if rng.chance(0.3) && same_province.len() > 1 {
                    *rng.pick(same_province)
                } else {
                    draw(rng, &self.cumulative)
                };
                if other == guru {
                    other = (guru + 1 + rng.below(self.places.len() - 1)) % self.places.len();
                }
                (Some(other), PartyOf::Region(other))
            }
            AgreementCategory::ThirdParty => (None, PartyOf::Named(pick_name(rng, THIRD_PARTIES))),
            AgreementCategory::CentralGovernment => (None, PartyOf::Named(pick_name(rng, CENTRAL))),
            AgreementCategory::ForeignParty => (None, PartyOf::Named(pick_name(rng, FOREIGN))),
        }
    }

    /// Walks the deal's legal path: proposed on the first day, then each
    /// step takes two to eight weeks, never past the horizon. A renewal
    /// walks to a signed framework.
    fn walk_path(
        &mut self,
        deal: &mut Deal,
        renews: bool,
        stages: &mut Batch<agreement_stage_change::ActiveModel>,
    ) {
        let rng = &mut self.rng;
        let paths = if deal.kind == AgreementKind::PerjanjianKerjaSama {
            PKS_PATHS
        } else {
            FRAMEWORK_PATHS
        };
        let path: &[AgreementStage] = if renews {
            &[
                Proposed,
                UnderReview,
                Offered,
                FrameworkDrafted,
                FrameworkSigned,
            ]
        } else {
            let weights: Vec<u32> = paths.iter().map(|(w, _)| *w).collect();
            paths[rng.weighted(&weights)].1
        };
        let mut day = deal.first_day;
        for (step, stage) in path.iter().enumerate() {
            if step > 0 {
                let next = day + chrono::Days::new(rng.range(14, 56) as u64);
                if next > horizon() {
                    break;
                }
                day = next;
            }
            deal.stage = *stage;
            if crate::domain::agreement::stage::is_signing(*stage) && deal.signed_on.is_none() {
                deal.signed_on = Some(day);
            }
            stages.push(agreement_stage_change::ActiveModel {
                id: Set(rng.uuid()),
                agreement_id: Set(deal.id),
                stage: Set(*stage),
                on_date: Set(Some(day)),
                note: Set(None),
                recorded_at: Set(at_noon(day)),
            });
        }
        deal.last_day = day;
    }

    /// The agreement row of a walked deal, its parties and practices.
    fn agreement_rows(
        &mut self,
        deal: &Deal,
        parent: Option<Uuid>,
        continues: Option<Uuid>,
        made: &[Made],
        rows: &mut AgreementRows,
    ) {
        let guru_name = &self.places[deal.guru].name;
        let other_name = match deal.parties.get(1) {
            Some(PartyOf::Region(i)) => self.places[*i].name.clone(),
            Some(PartyOf::Named(s)) => (*s).to_owned(),
            None => String::new(),
        };
        let topic = &TOPICS[made[deal.practices[0]].topic];
        let rng = &mut self.rng;
        let (title, years) = agreement_title(rng, deal.kind, guru_name, &other_name, topic);
        let signed = deal.signed_on;
        let number = signed.map(|d| {
            format!(
                "{}/{}/{}/{}",
                100 + rng.below(900),
                if deal.kind == AgreementKind::PerjanjianKerjaSama {
                    "PKS"
                } else {
                    "KSB"
                },
                "Pem",
                d.year()
            )
        });
        let mut scope: Vec<String> = vec![format!("penerapan {}", topic.name)];
        for _ in 0..rng.range(1, 3) {
            let s = (*rng.pick(SCOPES)).to_owned();
            if !scope.contains(&s) {
                scope.push(s);
            }
        }
        rows.agreements.push(agreement::ActiveModel {
            id: Set(deal.id),
            number: Set(number),
            title: Set(title),
            kind: Set(Some(deal.kind)),
            category: Set(deal.category),
            stage: Set(deal.stage),
            signed_on: Set(signed),
            signed_place: Set(signed.map(|_| guru_name.clone())),
            valid_from: Set(signed),
            valid_until: Set(
                signed.map(|d| d + chrono::Months::new(12 * years as u32) - chrono::Days::new(1))
            ),
            scope: Set(TextList(scope)),
            agencies: Set(TextList(vec![(*rng.pick(AGENCIES)).to_owned()])),
            parent_id: Set(parent),
            continues_id: Set(continues),
            continuation: Set(continues.map(|_| ContinuationKind::Renews)),
            notes: Set(None),
            created_at: Set(at_noon(deal.first_day)),
            updated_at: Set(at_noon(deal.last_day)),
            version: Set(1),
        });
        self.party_rows(deal, &mut rows.parties);
        for p in &deal.practices {
            rows.practices.push(agreement_practice::ActiveModel {
                agreement_id: Set(deal.id),
                practice_id: Set(made[*p].id),
            });
        }
    }

    /// The parties of a deal, in order, with their signatories' titles.
    fn party_rows(&mut self, deal: &Deal, parties: &mut Batch<agreement_party::ActiveModel>) {
        for (pos, party) in deal.parties.iter().enumerate() {
            let (region_code, name) = match party {
                PartyOf::Region(i) => (Some(self.places[*i].code.clone()), None),
                PartyOf::Named(s) => (None, Some((*s).to_owned())),
            };
            parties.push(agreement_party::ActiveModel {
                id: Set(self.rng.uuid()),
                agreement_id: Set(deal.id),
                position: Set(Some(pos as i32 + 1)),
                region_code: Set(region_code),
                third_party_name: Set(name),
                signatory_name: Set(None),
                signatory_title: Set(Some(
                    match party {
                        PartyOf::Region(i) => match self.places[*i].kind {
                            RegionKind::Province => "Gubernur",
                            RegionKind::Regency => "Bupati",
                            RegionKind::City => "Wali Kota",
                        },
                        PartyOf::Named(_) => "Pimpinan",
                    }
                    .to_owned(),
                )),
            });
        }
    }

    /// Adoptions follow the agreements between regions; visits usually come
    /// before the signing (the benchmarking visit), some after.
    async fn adoptions_and_visits(&mut self, deals: &[Deal], made: &[Made]) -> Result<(), DbErr> {
        let mut rows = FollowUpRows {
            adoptions: Batch::new(),
            visits: Batch::new(),
            visit_practices: Batch::new(),
        };
        let mut adopted: HashSet<(usize, usize)> = HashSet::new();
        for deal in deals {
            if rows.adoptions.full() || rows.visits.full() {
                rows.flush(self.txn).await?;
            }
            let Some(adopter) = deal.adopter else {
                continue;
            };
            self.adoptions(deal, adopter, made, &mut adopted, &mut rows.adoptions);
            if deal.kind != AgreementKind::PerjanjianKerjaSama && self.rng.chance(0.35) {
                self.visit(deal, adopter, made, &mut rows);
            }
        }
        rows.flush(self.txn).await?;
        self.report.adoptions = rows.adoptions.written;
        self.report.visits = rows.visits.written;
        self.report.visit_practices = rows.visit_practices.written;
        Ok(())
    }

    /// The adopter's adoptions of the deal's practices, at a stage that
    /// follows the deal's (none for a deal that has not got far enough);
    /// each practice is adopted once by a region.
    fn adoptions(
        &mut self,
        deal: &Deal,
        adopter: usize,
        made: &[Made],
        adopted: &mut HashSet<(usize, usize)>,
        adoptions: &mut Batch<adoption::ActiveModel>,
    ) {
        let rng = &mut self.rng;
        let stage = match deal.stage {
            InImplementation => Some(if rng.chance(0.5) {
                AdoptionStage::Piloting
            } else {
                AdoptionStage::Adopted
            }),
            Evaluated => Some(AdoptionStage::Adopted),
            Ended if deal.kind == AgreementKind::PerjanjianKerjaSama => Some(if rng.chance(0.7) {
                AdoptionStage::Adopted
            } else {
                AdoptionStage::Stopped
            }),
            ImplementingSigned | ImplementingDrafted => Some(AdoptionStage::Preparing),
            FrameworkSigned if rng.chance(0.3) => Some(AdoptionStage::Interested),
            _ => None,
        };
        let start = deal.signed_on.unwrap_or(deal.first_day);
        let Some(stage) = stage else {
            return;
        };
        for p in &deal.practices {
            if !adopted.insert((*p, adopter)) {
                continue;
            }
            let adopted_on = (stage == AdoptionStage::Adopted)
                .then(|| (start + chrono::Days::new(rng.range(60, 500) as u64)).min(horizon()));
            let stopped_on = (stage == AdoptionStage::Stopped)
                .then(|| (start + chrono::Days::new(rng.range(90, 700) as u64)).min(horizon()));
            adoptions.push(adoption::ActiveModel {
                id: Set(rng.uuid()),
                practice_id: Set(made[*p].id),
                region_code: Set(self.places[adopter].code.clone()),
                agreement_id: Set(Some(deal.id)),
                stage: Set(stage),
                started_on: Set(Some(start)),
                adopted_on: Set(adopted_on),
                stopped_on: Set(stopped_on),
                stop_reason: Set(stopped_on.map(|_| {
                    "anggaran tidak tersedia setelah pergantian kepala daerah".to_owned()
                })),
                notes: Set(None),
                created_at: Set(at_noon(start)),
                updated_at: Set(at_noon(start)),
                version: Set(1),
            });
        }
    }

    /// The adopter's benchmarking visit to the guru to study the deal's
    /// practices: before the signing, or from the first day if unsigned.
    fn visit(&mut self, deal: &Deal, adopter: usize, made: &[Made], rows: &mut FollowUpRows) {
        let rng = &mut self.rng;
        let starts = deal
            .signed_on
            .map(|d| d - chrono::Days::new(rng.range(1, 60) as u64))
            .unwrap_or(deal.first_day);
        let ends = starts + chrono::Days::new(rng.range(0, 2) as u64);
        let id = rng.uuid();
        let objectives = deal
            .practices
            .iter()
            .map(|p| format!("mempelajari penerapan {}", made[*p].title))
            .collect();
        rows.visits.push(visit::ActiveModel {
            id: Set(id),
            visitor_region_code: Set(self.places[adopter].code.clone()),
            host_region_code: Set(self.places[deal.guru].code.clone()),
            starts_on: Set(starts),
            ends_on: Set(ends),
            learning_objectives: Set(TextList(objectives)),
            delegation_size: Set(Some(rng.range(5, 40) as i32)),
            agreement_id: Set(Some(deal.id)),
            adoption_id: Set(None),
            notes: Set(None),
            created_at: Set(at_noon(starts)),
            updated_at: Set(at_noon(starts)),
            version: Set(1),
        });
        for p in &deal.practices {
            rows.visit_practices.push(visit_practice::ActiveModel {
                visit_id: Set(id),
                practice_id: Set(made[*p].id),
            });
        }
    }

    /// Yearly indices of every region (those the demo already has are kept).
    async fn region_indices(&mut self) -> Result<(), DbErr> {
        let existing: HashSet<(String, i32)> = region_index::Entity::find()
            .all(self.txn)
            .await?
            .into_iter()
            .map(|r| (r.region_code, r.year))
            .collect();
        let rng = &mut self.rng;
        let mut ix_rows = Batch::<region_index::ActiveModel>::new();
        for place in &self.places {
            let mut spbe = 1.2 + rng.unit() * 2.4;
            let mut ipp = 2.2 + rng.unit() * 2.0;
            let mut innovation = 20.0 + rng.unit() * 50.0;
            for year in 2021..=2025 {
                spbe = (spbe + rng.unit() * 0.35 - 0.05).min(5.0);
                ipp = (ipp + rng.unit() * 0.3 - 0.05).min(5.0);
                innovation = (innovation + rng.unit() * 8.0 - 2.0).min(100.0);
                if existing.contains(&(place.code.clone(), year)) {
                    continue;
                }
                ix_rows.push(region_index::ActiveModel {
                    id: Set(rng.uuid()),
                    region_code: Set(place.code.clone()),
                    year: Set(year),
                    spbe_index: Set(Some(round2(spbe))),
                    public_service_index: Set(Some(round2(ipp))),
                    innovation_index: Set(Some(round2(innovation))),
                    source: Set(Some("data sintetis (berguru generate)".to_owned())),
                });
            }
        }
        ix_rows.flush(self.txn).await?;
        self.report.region_indices = ix_rows.written;
        Ok(())
    }
}

/// A practice's measured outcomes: most applied practices have one, some
/// two; trials at most one; initiatives none.
fn outcomes(
    rng: &mut Rng,
    id: Uuid,
    topic: &Topic,
    maturity: Maturity,
    year_started: i32,
    rows: &mut Batch<outcome::ActiveModel>,
) {
    let n_outcomes = match maturity {
        Maturity::Applied => rng.weighted(&[2, 6, 2]),
        Maturity::Trial => rng.weighted(&[6, 4, 0]),
        Maturity::Initiative => 0,
    };
    for k in 0..n_outcomes {
        let (lo, hi) = topic.baseline;
        let baseline = round2(lo + rng.unit() * (hi - lo));
        let gain = topic.change * (0.4 + rng.unit() * 0.8);
        let achieved = round2((baseline * (1.0 + gain)).max(0.0));
        let by = (year_started + k as i32).min(2024);
        rows.push(outcome::ActiveModel {
            id: Set(rng.uuid()),
            practice_id: Set(id),
            metric: Set(if k == 0 {
                topic.metric.to_owned()
            } else {
                format!("{} (kecamatan percontohan)", topic.metric)
            }),
            unit: Set(Some(topic.unit.to_owned())),
            baseline_value: Set(Some(baseline)),
            baseline_year: Set(Some(by)),
            achieved_value: Set(Some(achieved)),
            achieved_year: Set(Some((by + 1 + rng.range(0, 2) as i32).min(2026))),
            source: Set(Some((*rng.pick(SOURCES)).to_owned())),
        });
    }
}

/// An agreement's title and its term in years, by kind.
fn agreement_title(
    rng: &mut Rng,
    kind: AgreementKind,
    guru_name: &str,
    other_name: &str,
    topic: &Topic,
) -> (String, i64) {
    match kind {
        AgreementKind::PerjanjianKerjaSama => (
            format!(
                "Perjanjian Kerja Sama {guru_name} dan {other_name} tentang Penerapan {}",
                topic.name
            ),
            rng.range(1, 3),
        ),
        AgreementKind::NotaKesepakatan => (
            format!(
                "Nota Kesepakatan {guru_name} dan {other_name} tentang {}",
                topic.name
            ),
            rng.range(3, 5),
        ),
        AgreementKind::KesepakatanBersama => (
            format!(
                "Kesepakatan Bersama {guru_name} dan {other_name} tentang Kerja Sama {}",
                topic.name
            ),
            5,
        ),
    }
}

fn at_noon(d: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&d.and_hms_opt(12, 0, 0).unwrap_or_default())
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// `"Aplikasi e-Office Kota Bandung"` -> `"aplikasi-e-office-kota-bandung"`.
fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic_and_uniform_enough() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        let mut counts = [0usize; 10];
        let mut r = Rng::new(1);
        for _ in 0..100_000 {
            counts[r.below(10)] += 1;
        }
        for c in counts {
            assert!((9_000..11_000).contains(&c), "bucket {c}");
        }
    }

    #[test]
    fn uuids_are_version_4_shaped() {
        let mut r = Rng::new(3);
        let u = r.uuid();
        assert_eq!(u.get_version_num(), 4);
        assert_eq!(u.get_variant(), uuid::Variant::RFC4122);
    }

    #[test]
    fn framework_paths_follow_the_legal_path() {
        for (paths, kind) in [
            (FRAMEWORK_PATHS, AgreementKind::KesepakatanBersama),
            (PKS_PATHS, AgreementKind::PerjanjianKerjaSama),
        ] {
            for (_, path) in paths {
                assert_eq!(path[0], Proposed);
                for w in path.windows(2) {
                    let allowed = crate::domain::agreement::stage::allowed_next(Some(kind), w[0]);
                    assert!(
                        allowed.contains(&w[1]),
                        "{:?} -> {:?} for {kind:?}",
                        w[0],
                        w[1]
                    );
                }
            }
        }
    }

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(
            slugify("Aplikasi e-Office Prima Kota Bandung"),
            "aplikasi-e-office-prima-kota-bandung"
        );
        assert_eq!(slugify("  Desa (Digital)! "), "desa-digital");
    }
}
