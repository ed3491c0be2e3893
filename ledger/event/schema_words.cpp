// The Chinese descriptions of the schemas (schema_words.h).
#include "ledger/event/schema_words.h"

#include <functional>
#include <map>
#include <utility>

#include "ledger/event/embedded_schemas.h"
#include "ledger/event/schema_validator.h"

namespace agtrace {

namespace {

struct Row {
  std::string_view file, pointer, zh;
};

// One row per described subschema of the event schemas, in file order. Each says what the field is and
// how to write it, as the English description does.
constexpr Row kRows[] = {
    {"common.schema.json", "/definitions/event_id", "事件编号，不能重复：不含空格的可打印 ASCII 字符，如 LC-2022-0001"},
    {"common.schema.json", "/definitions/timestamp", "时间，要带时区（UTC 偏移），如 2022-10-05T08:30:00+08:00；表格里写 2022-10-05 08:30 时导入加 --tz +08:00"},
    {"common.schema.json", "/definitions/date", "日期，写成 YYYY-MM-DD，如 2026-09-25"},
    {"common.schema.json", "/definitions/id", "主体、地点或产品的编号：可打印字符，不含控制字符"},
    {"common.schema.json", "/definitions/lot_id", "批次编号：任意文字（可以是中文），不含控制字符，前后不留空格；不符合 GS1 字符集时账本另配一个 GS1 批次码"},
    {"common.schema.json", "/definitions/account", "打码工作站的账号代号（如 op-07），不写人名：小写字母和数字，用 - 连接，最多 32 个字符"},
    {"common.schema.json", "/definitions/sha256_hex", "SHA-256 摘要，64 位小写十六进制"},
    {"common.schema.json", "/definitions/decimal", "不带负号的数字，最多 15 位整数、6 位小数，如 12.5（不写千位分隔符，不带单位）"},
    {"common.schema.json", "/definitions/signed_decimal", "数字，可以是负数，如 -1.5"},
    {"common.schema.json", "/definitions/unit", "单位：千克（公斤）、克、吨、升、毫升、件（记录里是 UN/ECE 代码 KGM、GRM、TNE、LTR、MLT、H87）"},
    {"common.schema.json", "/definitions/temperature", "温度，摄氏度，写数字，如 4.5"},
    {"common.schema.json", "/definitions/readings", "温度读数（摄氏度）"},
    {"common.schema.json", "/definitions/vkey", "C2SP 公钥行：名字+编号+base64（由 agtrace-ledger key gen 生成的 .pub 文件内容）"},
    {"common.schema.json", "/definitions/key_name", "密钥名：不含空格和 +"},
    {"common.schema.json", "/definitions/serial_root", "标签作业全部追溯码的 RFC 6962 Merkle 根（64 位小写十六进制）"},
    {"common.schema.json", "/definitions/uscc", "统一社会信用代码（GB 32100-2015）：18 位，数字和除 I、O、S、V、Z 以外的大写字母，如 91140406MA0K1A2B3C"},
    {"common.schema.json", "/definitions/gtin", "商品条码 GTIN-14：14 位数字（校验位由账本核对）"},
    {"common.schema.json", "/definitions/admin_region", "6 位行政区划代码（GB/T 2260），如 140406"},
    {"common.schema.json", "/definitions/certificate_number",
     "承诺达标合格证编号：4 到 40 个 ASCII 字母、数字或 -，以字母或数字开头；它是合格证网页地址的最后一段（/c/编号），在账本中唯一，不能重复使用"},
    {"common.schema.json", "/definitions/paper_certificate_number",
     "合格证上写的编号（纸质合格证可以是任意可打印字符）：1 到 64 个字符，不含控制字符，前后不留空格"},
    {"certificate_issued.schema.json", "/properties/style", "样式：producer 为样式一（生产者自己承诺）；buyer 为样式二（收购者混装或分装后重新开具）"},
    {"certificate_issued.schema.json", "/properties/issuer", "承诺主体：开具并签名承诺的主体；合格证上的联系电话是该主体的公开电话"},
    {"certificate_issued.schema.json", "/properties/quantity", "数量（重量）：本证覆盖的那部分；同一批次所有合格证加起来不能超过该批次"},
    {"certificate_issued.schema.json", "/properties/product", "产品名称：产品编号（批次有产品时就是批次的产品）"},
    {"certificate_issued.schema.json", "/properties/origin", "产地：地点编号，写到村或基地"},
    {"certificate_issued.schema.json", "/properties/shipment", "一车一证：本证随行的发货事件的事件编号"},
    {"certificate_issued.schema.json", "/properties/bases", "开具依据（勾选的项），每项写上支持它的记录的事件编号"},
    {"certificate_issued.schema.json", "/properties/parents",
     "仅样式二：收购时收取的各投入批次的合格证（本账本开具的，或用「收取合格证」记录的），写开具者和编号"},
    {"certificate_issued.schema.json", "/properties/operator", "在打印工作站开具这张合格证的账号（代号，不写人名）"},
    {"certificate_voided.schema.json", "/properties/operator", "在打印工作站作废这张合格证的账号（代号，不写人名）"},
    {"certificate_received.schema.json", "/properties/number",
     "合格证编号，照纸上写的填；纸上没有编号的，记作 无编号-年月日-序号（规则第 6 版起；年月日即开具日期，序号自定，并写在纸质合格证上再归档）"},
    {"certificate_received.schema.json", "/properties/origin",
     "产地，照纸上写的填：已登记的地点编号（写到村或基地）。规则第 6 版起才有；第 6 版起新引入批次时必填，用这个批次做成的批次开具合格证时，产地须是这里或它的上级地点"},
    {"certificate_received.schema.json", "/properties/party", "收取并保管合格证的收购者"},
    {"certificate_received.schema.json", "/properties/issuer", "开具合格证的主体（先在主体记录里登记）"},
    {"certificate_received.schema.json", "/properties/issued_on", "合格证上写的开具日期"},
    {"certificate_received.schema.json", "/properties/lot",
     "合格证随附的批次。规则第 4 版及以前必须是账本里已有的批次；第 5 版起也可以是新的批次编号，由这条记录作为外来批次引入（每张收取的合格证一个）"},
    {"certificate_received.schema.json", "/properties/product",
     "合格证上的产品名称（已登记的产品编号）。规则第 5 版起，这条记录引入新批次时必须填写，它就是该批次的产品"},
    {"certificate_received.schema.json", "/properties/photo_sha256", "纸质合格证照片或扫描件的 SHA-256（小写十六进制），照片本身保存在账本之外"},
    {"correction.schema.json", "/properties/corrective_event_ids", "合作方 EPCIS 更正声明（errorDeclaration）里的 correctiveEventIDs，原样保存，导出时写回"},
    {"correction.schema.json", "/properties/replacement",
     "规则第 5 版：改好的整条记录，照它本该记录的样子：事件类型、事件编号和批次编号不变，数量、时间或文字可以改正。它在各处取代被更正的记录；被更正的那条仍留在账本里"},
    {"external.schema.json", "/properties/epcis_numbers", "合作方写成 JSON 数字的成员（以十进制字符串保存）的 RFC 6901 指针，导出时写回数字；没有时省略"},
    {"external.schema.json", "/properties/epcis_context", "合作方文档中这个事件用到的 @context 前缀声明（前缀 → IRI），导出时再次声明"},
    {"external.schema.json", "/properties/own_lots",
     "EPCIS 事件里属于本账本的批次，导入时找到：事件的批次标识 → 本账本的批次编号（其产品有该 GTIN，GS1 批次码为该批号）；没有时省略"},
    {"harvest.schema.json", "/properties/yield_override",
     "采收量核对的担保（可选，只作说明，规则不读它）：采收量超过导入时的亩产核对上限，有人确认无误后才记录。confirmed_by："
     "station_supervisor（主管在打印工作站的「上传」屏幕用自己的账号和 PIN 确认；supervisor 是主管账号的代号，不写姓名）或 "
     "import_flag（导入人加了 agtrace-ledger import --allow-high-yield：签名的记录员密钥的持有人担保）"},
    {"inspection.schema.json", "/properties/items/items/properties/measured",
     "检测值（单位见「单位」）；与「检测值说明」一起时，是化验单上写的界限（<0.01 写 0.01）。除非写「未检出」，必须填写"},
    {"inspection.schema.json", "/properties/items/items/properties/measured_qualifier",
     "规则第 5 版起：化验单怎么写的检测值。not_detected：未检出 / ND（低于检出限，不填检测值）；below：小于该值（低于定量限）。不填：检测值就是测得的数值"},
    {"key_added.schema.json", "/properties/role",
     "角色：clerk（记录员）可记录除密钥记录以外的所有事件；station（工作站）记录标签作业，规则第 3 版起还可为持有主体的批次开具、作废合格证"},
    {"key_added.schema.json", "/properties/holder",
     "持有密钥的主体。规则第 3 版起，工作站密钥只能为持有主体包装的批次打印标签，只能以持有主体为开具者开具合格证"},
    {"key_revoked.schema.json", "/properties/key_id", "要吊销的密钥：名字+编号"},
    {"labels_issued.schema.json", "/properties/operator", "运行这次打印作业的工作站账号（代号，不写人名）"},
    {"labels_issued.schema.json", "/properties/template_sha256", "这次打印所用标签模板文件的 SHA-256"},
    {"labels_reprinted.schema.json", "/properties/operator", "运行这次补打作业的工作站账号（代号，不写人名）"},
    {"labels_reprinted.schema.json", "/properties/template_sha256", "这次补打所用标签模板文件的 SHA-256"},
    {"labels_voided.schema.json", "/properties/operator", "作废这些标签的工作站账号（代号，不写人名）"},
    {"log_init.schema.json", "/properties/base_url", "公开网址：协议和主机名小写，末尾不带 /，如 https://trace.lucheng.example"},
    {"log_init.schema.json", "/properties/rules_version", "从第 0 条起生效的规则版本；版本出现以前写的账本没有这一项，从第 1 版开始"},
    {"product.schema.json", "/properties/slogan", "产品的营销语（七统一的「营销」），由标签模板的 {slogan} 打印，如 辣香脆甜 · 一根葱一张身份证。规则第 5 版起"},
    {"product.schema.json", "/properties/geographical_indication",
     "地理标志农产品：登记名称和（如有）登记证书编号。只有记录里这样写的产品，标签上才印「地理标志农产品」。规则第 5 版起"},
    {"product.schema.json", "/properties/processed",
     "加工食品（预包装食品，GB 7718-2011，如小米、葱油、醋），不是食用农产品：标签必须有生产日期（批次的包装日期）、保质期和生产许可证编号。默认否。规则第 5 版起"},
    {"product.schema.json", "/properties/production_license_no", "食品生产许可证编号（SC 编号，《食品生产许可管理办法》第二十九条）：SC 加 14 位数字。规则第 5 版起"},
    {"product.schema.json", "/properties/ingredients", "加工食品的配料表（GB 7718-2011 4.1.3），照印刷的写，如 大豆油、潞城大葱。规则第 5 版起"},
    {"product.schema.json", "/properties/certificate_required",
     "这个产品的批次是否需要承诺达标合格证（农业农村部令2025年第4号第三条：蔬菜、水果、茶叶、畜禽、禽蛋、养殖水产品；小米、醋、油等加工食品不需要）。默认是。规则第 3 版起"},
    {"product.schema.json", "/properties/max_yield_kg_per_mu",
     "最高亩产（千克）：这个产品一次采收每亩最多能收多少千克；导入时按它核对采收数量，没有填的按所有作物的上限。规则第 9 版起"},
    {"rules_upgraded.schema.json", "/properties/rules_version", "从下一条记录起生效的规则版本"},
    {"shipping.schema.json", "/properties/recalled_goods",
     "召回品去向：已召回的批次退回（return）或送去销毁（destruction）时填写；规则第 9 版起，已召回的批次只有这样才能发货"},
    {"transformation.schema.json", "/properties/transformation_id",
     "转化编号（GS1 EPCIS 2.0 transformationID）：同一主体、同一编号的转化是同一次转化，可分几条记录（如投入时记一条、产出时记一条），其中每个投入都是每个产出的来源。"
     "不含空格的可打印 ASCII，如 ZH-2022-0007；一条记录记完的转化不填。规则第 2 版起"},
};

// Every described node of every embedded schema → its file and JSON pointer.
const std::map<const nlohmann::json*, std::pair<std::string, std::string>>& places() {
  static const auto* out = [] {
    auto* m = new std::map<const nlohmann::json*, std::pair<std::string, std::string>>;
    for (const auto& f : embedded_schemas()) {
      const std::string file(f.path);
      if (!file.ends_with(".json")) continue;
      std::function<void(const nlohmann::json&, const std::string&)> walk = [&](const nlohmann::json& node,
                                                                              const std::string& pointer) {
        if (node.is_object()) {
          if (node.contains("description")) (*m)[&node] = {file, pointer};
          for (const auto& [key, child] : node.items()) walk(child, pointer + "/" + key);
        } else if (node.is_array()) {
          for (std::size_t i = 0; i < node.size(); ++i) walk(node[i], pointer + "/" + std::to_string(i));
        }
      };
      walk(embedded_schema_json(file), "");
    }
    return m;
  }();
  return *out;
}

}  // namespace

std::optional<std::string_view> description_zh(std::string_view file, std::string_view pointer) {
  // A file's own path may be "events/harvest.schema.json"; the table names the file alone.
  const auto slash = file.rfind('/');
  if (slash != std::string_view::npos) file.remove_prefix(slash + 1);
  for (const auto& r : kRows)
    if (r.file == file && r.pointer == pointer) return r.zh;
  return std::nullopt;
}

std::optional<std::string_view> description_zh(const nlohmann::json& subschema) {
  const auto& m = places();
  auto it = m.find(&subschema);
  if (it == m.end()) return std::nullopt;
  return description_zh(it->second.first, it->second.second);
}

}  // namespace agtrace
