package themes_test

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"codesign/themes"
)

// codebookXSD is the REFI-QDA codebook schema, QDA-XML Codebook.xsd
// version 1.0, written out from the REFI-QDA 1.5 standard (MIT licence,
// Copyright 2019 REFI, www.qdasoftware.org).
const codebookXSD = `<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns="urn:QDA-XML:codebook:1.0" xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:QDA-XML:codebook:1.0" elementFormDefault="qualified" attributeFormDefault="unqualified" version="1.0">
  <xsd:element name="CodeBook" type="CodeBookType"/>
  <xsd:complexType name="CodeBookType">
    <xsd:sequence>
      <xsd:element name="Codes" type="CodesType"/>
      <xsd:element name="Sets" type="SetsType" minOccurs="0"/>
    </xsd:sequence>
    <xsd:attribute name="origin" type="xsd:string"/>
  </xsd:complexType>
  <xsd:complexType name="CodesType">
    <xsd:sequence>
      <xsd:element name="Code" type="CodeType" maxOccurs="unbounded"/>
    </xsd:sequence>
  </xsd:complexType>
  <xsd:complexType name="SetsType">
    <xsd:sequence>
      <xsd:element name="Set" type="SetType" maxOccurs="unbounded"/>
    </xsd:sequence>
  </xsd:complexType>
  <xsd:complexType name="CodeType">
    <xsd:sequence>
      <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
      <xsd:element name="Code" type="CodeType" minOccurs="0" maxOccurs="unbounded"/>
    </xsd:sequence>
    <xsd:attribute name="guid" type="GUIDType" use="required"/>
    <xsd:attribute name="name" type="xsd:string" use="required"/>
    <xsd:attribute name="isCodable" type="xsd:boolean" use="required"/>
    <xsd:attribute name="color" type="RGBType"/>
  </xsd:complexType>
  <xsd:complexType name="SetType">
    <xsd:sequence>
      <xsd:element name="Description" type="xsd:string" minOccurs="0"/>
      <xsd:element name="MemberCode" type="MemberCodeType" minOccurs="0" maxOccurs="unbounded"/>
    </xsd:sequence>
    <xsd:attribute name="guid" type="GUIDType" use="required"/>
    <xsd:attribute name="name" type="xsd:string" use="required"/>
  </xsd:complexType>
  <xsd:complexType name="MemberCodeType">
    <xsd:attribute name="guid" type="GUIDType" use="required"/>
  </xsd:complexType>
  <xsd:simpleType name="GUIDType">
    <xsd:restriction base="xsd:token">
      <xsd:pattern value="([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})|(\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\})"/>
    </xsd:restriction>
  </xsd:simpleType>
  <xsd:simpleType name="RGBType">
    <xsd:restriction base="xsd:token">
      <xsd:pattern value="#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})"/>
    </xsd:restriction>
  </xsd:simpleType>
</xsd:schema>
`

func defaultQDC(t *testing.T) (*themes.Codebook, []byte) {
	t.Helper()
	cb, err := themes.DefaultCodebook()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cb.QDC()
	if err != nil {
		t.Fatal(err)
	}
	return cb, out
}

// The export is valid against the standard's schema, checked by xmllint.
func TestQDCValidatesAgainstTheSchema(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint is not installed (apt-get install libxml2-utils)")
	}
	_, out := defaultQDC(t)
	dir := t.TempDir()
	xsd, qdc := filepath.Join(dir, "Codebook.xsd"), filepath.Join(dir, "codesign.qdc")
	if err := os.WriteFile(xsd, []byte(codebookXSD), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(qdc, out, 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(xmllint, "--noout", "--schema", xsd, qdc).CombinedOutput(); err != nil {
		t.Fatalf("xmllint: %v\n%s", err, msg)
	}
	// And the schema itself catches what it should: an empty Sets.
	bad := strings.Replace(string(out), "</Codes>", "</Codes><Sets></Sets>", 1)
	if err := os.WriteFile(qdc, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command(xmllint, "--noout", "--schema", xsd, qdc).Run(); err == nil {
		t.Fatal("the schema accepted an empty <Sets>")
	}
}

type qdcCode struct {
	GUID  string    `xml:"guid,attr"`
	Name  string    `xml:"name,attr"`
	Color string    `xml:"color,attr"`
	Codes []qdcCode `xml:"Code"`
}

func TestQDCHierarchyGUIDsAndColours(t *testing.T) {
	cb, out := defaultQDC(t)
	var book struct {
		XMLName xml.Name
		Codes   []qdcCode `xml:"Codes>Code"`
	}
	if err := xml.Unmarshal(out, &book); err != nil {
		t.Fatal(err)
	}
	if book.XMLName.Space != "urn:QDA-XML:codebook:1.0" || book.XMLName.Local != "CodeBook" {
		t.Fatalf("root %v", book.XMLName)
	}
	if strings.Contains(string(out), "<Sets") {
		t.Error("the export has a Sets element")
	}
	if len(book.Codes) != 3 {
		t.Fatalf("%d top-level codes, want the three themes", len(book.Codes))
	}
	guid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	colour := regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
	seen := map[string]bool{}
	var walk func([]qdcCode)
	walk = func(cs []qdcCode) {
		for _, c := range cs {
			if !guid.MatchString(c.GUID) || seen[c.GUID] || !colour.MatchString(c.Color) {
				t.Errorf("code %q: guid %q (seen %v), colour %q", c.Name, c.GUID, seen[c.GUID], c.Color)
			}
			seen[c.GUID] = true
			walk(c.Codes)
		}
	}
	walk(book.Codes)
	if len(seen) != len(cb.Codes) {
		t.Errorf("%d codes exported, the codebook has %d", len(seen), len(cb.Codes))
	}
	// Guids are stable: the same key gives the same guid in every export.
	if book.Codes[0].GUID != themes.CodeGUID("quality_of_life") || themes.CodeGUID("housing") != "1286d53d-b8ba-5440-8a96-fb647ace930f" {
		t.Error("guids are not stable")
	}
	if _, again := defaultQDC(t); string(again) != string(out) {
		t.Error("two exports of the same codebook differ")
	}
}
