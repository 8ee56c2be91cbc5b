#include "store/plan_codec.hpp"

#include <cstring>
#include <new>
#include <stdexcept>

namespace jvap::store::detail {

namespace {

constexpr std::string_view kMagic = "JVAPPLAN4";

class Writer {
 public:
  void u(std::uint64_t v) {
    while (v >= 0x80) {
      out_ += static_cast<char>((v & 0x7f) | 0x80);
      v >>= 7;
    }
    out_ += static_cast<char>(v);
  }
  void i(std::int64_t v) { u((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63)); }
  void b(bool v) { u(v ? 1 : 0); }
  void s(std::string_view v) {
    u(v.size());
    out_.append(v);
  }
  void d(double v) {
    char buf[sizeof v];
    std::memcpy(buf, &v, sizeof v);
    out_.append(buf, sizeof v);
  }
  void date(calendar::Date v) { i(v.time_since_epoch().count()); }
  void opt_date(const std::optional<calendar::Date>& v) {
    b(v.has_value());
    if (v) date(*v);
  }
  void period(const calendar::Period& p) {
    u(static_cast<unsigned>(p.frequency));
    i(p.year);
    u(p.index);
  }
  // Source locations are not cached: they only serve plan validation, which a cached plan has
  // passed, and leaving them out keeps the decoded plan small and quick to build.
  void prov(const model::Provenance& p) {
    b(p.confirmed);
    s(p.source);
  }
  void strings(const std::vector<std::string>& v) {
    u(v.size());
    for (const auto& x : v) s(x);
  }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  std::uint64_t u() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) throw std::out_of_range("plan snapshot truncated");
      auto c = static_cast<unsigned char>(in_[pos_++]);
      v |= static_cast<std::uint64_t>(c & 0x7f) << shift;
      if (!(c & 0x80)) return v;
    }
    throw std::out_of_range("plan snapshot: bad varint");
  }
  std::int64_t i() {
    auto v = u();
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
  }
  bool b() { return u() != 0; }
  // A element count: never more than the bytes left, so corrupt data cannot ask for huge memory.
  std::size_t count() {
    auto n = u();
    if (n > in_.size() - pos_) throw std::out_of_range("plan snapshot: bad count");
    return static_cast<std::size_t>(n);
  }
  std::string s() {
    auto n = u();
    if (n > in_.size() - pos_) throw std::out_of_range("plan snapshot truncated");
    std::string v(in_.substr(pos_, n));
    pos_ += n;
    return v;
  }
  double d() {
    double v;
    if (sizeof v > in_.size() - pos_) throw std::out_of_range("plan snapshot truncated");
    std::memcpy(&v, in_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return v;
  }
  calendar::Date date() { return calendar::Date{date::days{i()}}; }
  std::optional<calendar::Date> opt_date() {
    if (!b()) return std::nullopt;
    return date();
  }
  calendar::Period period() {
    calendar::Period p;
    p.frequency = static_cast<calendar::Frequency>(u());
    p.year = static_cast<int>(i());
    p.index = static_cast<int>(u());
    return p;
  }
  model::Provenance prov() {
    model::Provenance p;
    p.confirmed = b();
    p.source = s();
    return p;
  }
  std::vector<std::string> strings() {
    std::vector<std::string> v(count());
    for (auto& x : v) x = s();
    return v;
  }
  template <typename E>
  E e() {
    return static_cast<E>(u());
  }
  bool done() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace

// A decoded snapshot is trusted only if its values are in the ranges the loader allows; anything
// else means a damaged cache, which is then rebuilt from the YAML.
bool plausible(const model::Plan& p) {
  auto year_ok = [](int y) { return y >= 1900 && y <= 2200; };
  auto date_ok = [&](calendar::Date d) { return year_ok(static_cast<int>(date::year_month_day{d}.year())); };
  auto period_ok = [&](const calendar::Period& x) {
    if (static_cast<unsigned>(x.frequency) > 3 || !year_ok(x.year) || x.index < 1) return false;
    return calendar::parse_period(calendar::to_string(x)).has_value();
  };
  if (!period_ok(p.calendar.first) || p.calendar.grace_days < 0 || p.calendar.grace_days > 366) return false;
  for (const auto& pr : p.processes) {
    if (!date_ok(pr.founded)) return false;
    for (const auto& m : pr.members)
      if (static_cast<unsigned>(m.role) > 1 || static_cast<unsigned>(m.region) > 4 || !date_ok(m.joined) ||
          (m.left && !date_ok(*m.left)))
        return false;
  }
  for (const auto& o : p.organisations)
    if (static_cast<unsigned>(o.group) > 4) return false;
  for (const auto& i : p.initiatives) {
    if (static_cast<unsigned>(i.kind) > 1 || !date_ok(i.start) || !date_ok(i.end) || i.end < i.start) return false;
    for (const auto& ind : i.indicators) {
      if (static_cast<unsigned>(ind.aggregation) > 1) return false;
      for (const auto& t : ind.targets)
        if (!period_ok(t.period)) return false;
    }
    for (const auto& m : i.milestones)
      if (!date_ok(m.due)) return false;
  }
  return p.content_hash.size() == 64;
}

std::string encode_plan(const model::Plan& p) {
  Writer w;
  w.out().append(kMagic);
  w.s(p.info.id);
  w.s(p.info.title);
  w.opt_date(p.info.adopted);
  w.s(p.info.source);
  w.u(static_cast<unsigned>(p.calendar.frequency));
  w.period(p.calendar.first);
  w.i(p.calendar.grace_days);
  w.u(p.domains.size());
  for (const auto& d : p.domains) {
    w.s(d.id);
    w.s(d.title);
    w.u(d.priorities.size());
    for (const auto& x : d.priorities) {
      w.s(x.id);
      w.s(x.title);
      w.b(x.official);
      w.prov(x.provenance);
    }
    w.u(d.priority_initiatives.size());
    for (const auto& x : d.priority_initiatives) {
      w.s(x.id);
      w.s(x.title);
      w.opt_date(x.due);
      w.b(x.official);
      w.prov(x.provenance);
    }
  }
  w.u(p.processes.size());
  for (const auto& pr : p.processes) {
    w.s(pr.id);
    w.s(pr.name);
    w.date(pr.founded);
    w.s(pr.source);
    w.prov(pr.provenance);
    w.u(pr.members.size());
    for (const auto& m : pr.members) {
      w.s(m.state);
      w.u(static_cast<unsigned>(m.role));
      w.u(static_cast<unsigned>(m.region));
      w.date(m.joined);
      w.opt_date(m.left);
      w.prov(m.provenance);
    }
    w.u(pr.chairs.size());
    for (const auto& c : pr.chairs) {
      w.s(c.state);
      w.date(c.from);
      w.opt_date(c.to);
      w.prov(c.provenance);
    }
    w.b(pr.steering.has_value());
    if (pr.steering) {
      w.i(pr.steering->as_of);
      w.strings(pr.steering->members);
      w.s(pr.steering->note);
    }
  }
  w.u(p.organisations.size());
  for (const auto& o : p.organisations) {
    w.s(o.id);
    w.s(o.name);
    w.u(static_cast<unsigned>(o.group));
  }
  w.u(p.indicators.size());
  for (const auto& d : p.indicators) {
    w.s(d.id);
    w.s(d.title);
    w.s(d.unit);
    w.u(static_cast<unsigned>(d.aggregation));
  }
  w.u(p.initiatives.size());
  for (const auto& x : p.initiatives) {
    w.s(x.id);
    w.s(x.title);
    w.u(static_cast<unsigned>(x.kind));
    w.strings(x.domains);
    w.strings(x.priorities);
    w.strings(x.processes);
    w.strings(x.countries);
    w.strings(x.implementers);
    w.u(x.funders.size());
    for (const auto& f : x.funders) {
      w.s(f.org);
      w.b(f.amount.has_value());
      if (f.amount) w.i(*f.amount);
    }
    w.b(x.budget.has_value());
    if (x.budget) {
      w.i(x.budget->amount);
      w.s(x.budget->currency);
    }
    w.date(x.start);
    w.date(x.end);
    w.strings(x.reporting);
    w.u(x.indicators.size());
    for (const auto& ind : x.indicators) {
      w.s(ind.id);
      w.s(ind.ref);
      w.s(ind.title);
      w.s(ind.unit);
      w.u(static_cast<unsigned>(ind.aggregation));
      w.d(ind.baseline);
      w.u(ind.targets.size());
      for (const auto& t : ind.targets) {
        w.period(t.period);
        w.d(t.value);
      }
    }
    w.u(x.milestones.size());
    for (const auto& m : x.milestones) {
      w.s(m.id);
      w.s(m.title);
      w.date(m.due);
    }
  }
  w.strings(p.files);
  w.s(p.content_hash);
  return std::move(w.out());
}

std::optional<model::Plan> decode_plan(std::string_view bytes) {
  if (bytes.substr(0, kMagic.size()) != kMagic) return std::nullopt;
  try {
    Reader r(bytes.substr(kMagic.size()));
    model::Plan p;
    p.info.id = r.s();
    p.info.title = r.s();
    p.info.adopted = r.opt_date();
    p.info.source = r.s();
    p.calendar.frequency = r.e<calendar::Frequency>();
    p.calendar.first = r.period();
    p.calendar.grace_days = static_cast<int>(r.i());
    p.domains.resize(r.count());
    for (auto& d : p.domains) {
      d.id = r.s();
      d.title = r.s();
      d.priorities.resize(r.count());
      for (auto& x : d.priorities) {
        x.id = r.s();
        x.domain = d.id;
        x.title = r.s();
        x.official = r.b();
        x.provenance = r.prov();
      }
      d.priority_initiatives.resize(r.count());
      for (auto& x : d.priority_initiatives) {
        x.id = r.s();
        x.domain = d.id;
        x.title = r.s();
        x.due = r.opt_date();
        x.official = r.b();
        x.provenance = r.prov();
      }
    }
    p.processes.resize(r.count());
    for (auto& pr : p.processes) {
      pr.id = r.s();
      pr.name = r.s();
      pr.founded = r.date();
      pr.source = r.s();
      pr.provenance = r.prov();
      pr.members.resize(r.count());
      for (auto& m : pr.members) {
        m.state = r.s();
        m.role = r.e<model::Role>();
        m.region = r.e<model::Region>();
        m.joined = r.date();
        m.left = r.opt_date();
        m.provenance = r.prov();
      }
      pr.chairs.resize(r.count());
      for (auto& c : pr.chairs) {
        c.state = r.s();
        c.from = r.date();
        c.to = r.opt_date();
        c.provenance = r.prov();
      }
      if (r.b()) {
        model::SteeringCommittee sc;
        sc.as_of = static_cast<int>(r.i());
        sc.members = r.strings();
        sc.note = r.s();
        pr.steering = std::move(sc);
      }
    }
    p.organisations.resize(r.count());
    for (auto& o : p.organisations) {
      o.id = r.s();
      o.name = r.s();
      o.group = r.e<model::FunderGroup>();
    }
    p.indicators.resize(r.count());
    for (auto& d : p.indicators) {
      d.id = r.s();
      d.title = r.s();
      d.unit = r.s();
      d.aggregation = r.e<model::Aggregation>();
    }
    p.initiatives.resize(r.count());
    for (auto& x : p.initiatives) {
      x.id = r.s();
      x.title = r.s();
      x.kind = r.e<model::InitiativeKind>();
      x.domains = r.strings();
      x.priorities = r.strings();
      x.processes = r.strings();
      x.countries = r.strings();
      x.implementers = r.strings();
      x.funders.resize(r.count());
      for (auto& f : x.funders) {
        f.org = r.s();
        if (r.b()) f.amount = r.i();
      }
      if (r.b()) {
        model::Money m;
        m.amount = r.i();
        m.currency = r.s();
        x.budget = std::move(m);
      }
      x.start = r.date();
      x.end = r.date();
      x.reporting = r.strings();
      x.indicators.resize(r.count());
      for (auto& ind : x.indicators) {
        ind.id = r.s();
        ind.ref = r.s();
        ind.title = r.s();
        ind.unit = r.s();
        ind.aggregation = r.e<model::Aggregation>();
        ind.baseline = r.d();
        ind.targets.resize(r.count());
        for (auto& t : ind.targets) {
          t.period = r.period();
          t.value = r.d();
        }
      }
      x.milestones.resize(r.count());
      for (auto& m : x.milestones) {
        m.id = r.s();
        m.title = r.s();
        m.due = r.date();
      }
    }
    p.files = r.strings();
    p.content_hash = r.s();
    if (!r.done() || !plausible(p)) return std::nullopt;
    return p;
  } catch (const std::out_of_range&) {
    return std::nullopt;
  } catch (const std::bad_alloc&) {
    return std::nullopt;
  }
}

}  // namespace jvap::store::detail
